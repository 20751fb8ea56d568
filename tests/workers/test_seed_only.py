"""``salon demo --seed-only`` with Redis: its recompute job runs once any ``salon worker`` starts.

The seed commits the demo company and an unsent recompute job, then exits without a server, so
no embedded worker will ever pick the job up: only a worker's outbox relay can send it. Before
the outbox the job stayed QUEUED for good (the issue "Jobs never strand").

The subprocesses run this checkout's code (``PYTHONPATH``), not whatever ``salon`` is installed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from domain.db import make_engine
from domain.models import DepartmentValue, Job, JobStatus
from tests.conftest import DATABASES
from tests.support import services
from tests.support.processes import SALON, run_salon, salon_env

ROOT = Path(__file__).resolve().parents[2]
BOUND_SECONDS = 180


def _jobs(engine) -> list[Job]:
    with Session(engine) as session:
        return list(session.exec(select(Job).order_by(col(Job.created_at))))


def _wait_until_final(engine, timeout: float) -> list[Job]:
    """Every job of the database SUCCEEDED or FAILED (parts too), or the bound passed."""
    deadline = time.monotonic() + timeout
    while True:
        jobs = _jobs(engine)
        final = jobs and all(job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED) for job in jobs)
        if final or time.monotonic() > deadline:
            return jobs
        time.sleep(0.5)


@pytest.mark.redis
@pytest.mark.parametrize("empty_database_url", DATABASES, indirect=True)
def test_the_seed_only_demo_job_succeeds_once_a_worker_starts(empty_database_url, tmp_path):
    services.require("redis")
    env = salon_env(
        SALON_DATABASE_URL=empty_database_url,
        SALON_BROKER_URL=services.REDIS_URL,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    seeded = run_salon("demo", "--seed-only", env=env, cwd=tmp_path, timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    engine = make_engine(empty_database_url)
    try:
        (seed_job,) = _jobs(engine)
        assert (seed_job.actor, seed_job.status, seed_job.sent_at) == ("recompute", JobStatus.QUEUED, None)

        log_path = tmp_path / "worker.log"
        with open(log_path, "wb") as log:
            worker = subprocess.Popen(
                [SALON, "worker", "-p", "1", "-t", "2"],
                env=env,
                cwd=tmp_path,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # the supervisor and its dramatiq processes stop together
            )
        try:
            jobs = _wait_until_final(engine, BOUND_SECONDS)
        finally:
            try:
                os.killpg(worker.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)
        output = log_path.read_text(errors="replace")[-4000:]

        statuses = {job.id: job.status for job in jobs}
        assert statuses[seed_job.id] == JobStatus.SUCCEEDED, output
        assert set(statuses.values()) == {JobStatus.SUCCEEDED}, output  # the parts it spawned too
        assert all(job.parent_id == seed_job.id for job in jobs if job.id != seed_job.id)
        with Session(engine) as session:
            values = session.exec(select(func.count()).select_from(DepartmentValue)).one()
        assert values > 0
    finally:
        engine.dispose()
