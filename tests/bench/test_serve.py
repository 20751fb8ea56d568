"""bench/serve.py runs end to end on a tiny company and ends with the documented JSON line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_serve_ends_with_graphql_and_plain_figures():
    run = subprocess.run(
        [
            sys.executable,
            "bench/serve.py",
            "--employees",
            "40",
            "--seconds",
            "1",
            "--concurrency",
            "2",
            "--json",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert set(figures) == {"graphql", "plain"}
    for side in figures.values():
        assert {"rps", "p50_ms", "p99_ms"} <= side.keys()
        assert side["requests"] > 0 and side["errors"] == 0
        assert side["p50_ms"] <= side["p99_ms"]
