"""bench/soak.py, briefly: through outages of the broker (and of PostgreSQL), no job strands and
the result tables end equal to a clean full recompute."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import services

SOAK = Path(__file__).resolve().parents[2] / "bench" / "soak.py"


@pytest.mark.redis
@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_short_soak_leaves_no_job_unfinished_and_the_results_whole(database):
    services.require("redis")
    if database == "postgresql":
        services.require("postgresql")
    command = [sys.executable, str(SOAK), "--minutes", "0.5", "--broker", "redis", "--database", database]
    done = subprocess.run(
        [*command, "--workers", "1", "--flap-seconds", "3", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = json.loads(done.stdout.strip().splitlines()[-1])

    assert done.returncode == 0, (summary, done.stderr[-3000:])
    assert summary["unfinished"] == 0 and "QUEUED" not in summary["jobs"] and "RUNNING" not in summary["jobs"]
    assert summary["equal"] is True and set(summary["differences"].values()) == {0}
    assert summary["jobs"].get("SUCCEEDED", 0) > 0 and sum(summary["actions"].values()) > 0
    assert "(no reason)" not in summary["failed_reasons"]
    bugs = ("TypeError", "AttributeError", "NameError", "KeyError", "ValueError", "ImportError")
    assert not [k for k in summary["refused_actions"] if k.endswith(bugs)], summary["refused_actions"]
    cut = {outage.split()[0] for outage in summary["outages"]}
    assert "broker" in cut and (database == "sqlite" or "database" in cut), summary["outages"]
