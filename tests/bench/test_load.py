"""bench/load.py drives a real server and reports what it measured."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.processes import api_headers, salon_env, salon_server

LOAD = Path(__file__).resolve().parents[2] / "bench" / "load.py"


@pytest.fixture(scope="module")
def demo_server(sqlite_demo_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("load") / "salon.db"
    shutil.copy(sqlite_demo_file, path)
    env = salon_env(SALON_DATABASE_URL=f"sqlite:///{path}")
    with salon_server("serve", env=env) as url:
        yield url, api_headers(env)


def _load(server: tuple[str, dict[str, str]], *args: str) -> tuple[int, dict]:
    url, credentials = server
    headers = [f"--header={name}: {value}" for name, value in credentials.items()]
    command = [sys.executable, str(LOAD), "--url", url, "--duration", "2", "--concurrency", "2", "--json"]
    done = subprocess.run([*command, *headers, *args], capture_output=True, text=True, timeout=60)
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1])


def test_the_dashboard_load_reports_throughput_and_latency(demo_server):
    returncode, summary = _load(demo_server)

    assert returncode == 0 and summary["errors"] == 0, summary
    assert summary["requests"] > 0 and summary["concurrency"] == 2
    assert summary["requests_per_second"] == pytest.approx(summary["requests"] / summary["seconds"], rel=0.06)
    assert 0 < summary["p50_ms"] <= summary["p99_ms"]


def test_refused_queries_are_counted_as_errors(demo_server):
    returncode, summary = _load(demo_server, "--period", "2026-13")

    assert returncode == 1
    assert summary["errors"] == summary["requests"] > 0
    assert any("expected YYYY-MM" in kind for kind in summary["error_kinds"])
