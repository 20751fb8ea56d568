"""bench/serve.py starts a server on a generated company and measures GraphQL and the plain
endpoint in one run, ending with one JSON line that front-end and CI tooling can read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.serve import tree_cpu_seconds

ROOT = Path(__file__).resolve().parents[2]


def test_serve_ends_with_one_json_line_of_both_endpoints_figures():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALON_")}
    done = subprocess.run(
        [
            sys.executable,
            "bench/serve.py",
            "--employees",
            "160",
            "--seconds",
            "1",
            "--concurrency",
            "2",
            "--json",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    for side in ("graphql", "plain"):
        assert figures[side]["errors"] == 0 and figures[side]["requests"] > 0
        assert figures[side]["rps"] > 0 and 0 < figures[side]["p50_ms"] <= figures[side]["p99_ms"]
        assert figures[side]["server_cpu_ms"] > 0 and figures[side]["client_cpu_ms"] > 0


def test_the_servers_cpu_counts_its_child_processes():
    """``--workers N`` runs N processes under uvicorn's: the server's CPU is the whole tree's."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys; subprocess.run([sys.executable, '-c', 'while True: pass'])",
        ]
    )
    try:
        before = tree_cpu_seconds(child.pid)
        time.sleep(1.0)
        after = tree_cpu_seconds(child.pid)
    finally:
        subprocess.run(["pkill", "-P", str(child.pid)], check=False)
        child.kill()
        child.wait()
    assert after - before > 0.3  # the grandchild's busy loop, seen through its parent
