"""A ``salon worker`` killed (SIGKILL) in the middle of a recompute loses no work and duplicates none.

To kill it provably mid-job, the test holds an exclusive lock on ``departmentvalue``: the
worker marks the job RUNNING, reads, and then waits inside its transaction for the lock — a
state PostgreSQL shows in ``pg_stat_activity``. The whole worker process group is killed
there, the lock released, and a fresh worker started: the broker must deliver the message
again (RabbitMQ when the connection drops; Redis once the dead worker's heartbeat is older
than ``SALON_REDIS_HEARTBEAT_TIMEOUT_MS``) and the job must finish exactly once.
"""

from __future__ import annotations

import signal
import subprocess
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session

from domain import jobs
from domain.models import DepartmentValue, Gap, Job, JobStatus
from domain.settings import load_settings
from tests.support.jobs import wait_for_job
from tests.support.processes import salon_env, start_worker, stop_worker
from workers import broker as broker_setup
from workers import runtime
from workers.actors import recompute
from workers.jobs import enqueue

pytestmark = pytest.mark.parametrize("demo_database_url", ["postgresql"], indirect=True)

FAST_REDELIVERY = {"SALON_REDIS_HEARTBEAT_TIMEOUT_MS": "3000", "SALON_REDIS_MAINTENANCE_CHANCE": "1000000"}


def _start_worker(broker_url: str, database_url: str, log_path) -> subprocess.Popen:
    env = salon_env(SALON_BROKER_URL=broker_url, SALON_DATABASE_URL=database_url, **FAST_REDELIVERY)
    return start_worker(env, log_path)


@contextmanager
def _results_locked(engine):
    with engine.connect() as connection:
        connection.execute(text("LOCK TABLE departmentvalue IN ACCESS EXCLUSIVE MODE"))
        yield
        connection.rollback()


def _wait_until_blocked_mid_job(engine, job_id: str, timeout: float = 60.0) -> None:
    """The job is RUNNING and a session of this database waits for our lock."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Session(engine) as session:
            status = session.get(Job, job_id).status
            blocked = session.exec(waiting).one()[0]
        if status == JobStatus.RUNNING and blocked:
            return
        time.sleep(0.1)
    raise AssertionError(f"the job never got stuck mid-way (status {status})")


def _count(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()[0]


def _duplicates(engine, model, *key) -> int:
    with Session(engine) as session:
        statement = select(*key).group_by(*key).having(func.count() > 1)
        return len(session.exec(statement).all())


def test_a_worker_killed_mid_job_loses_nothing_and_duplicates_nothing(
    broker_url, demo_database_url, demo_engine, tmp_path
):
    runtime.configure(load_settings({}), demo_engine)
    sender = broker_setup.install(broker_setup.make_broker(broker_url))
    sender.flush_all()
    log_path = tmp_path / "workers.log"
    first = _start_worker(broker_url, demo_database_url, log_path)
    second = None
    try:
        with _results_locked(demo_engine):
            job = enqueue(demo_engine, recompute)
            _wait_until_blocked_mid_job(demo_engine, job.id)
            stop_worker(first, signal.SIGKILL)
        second = _start_worker(broker_url, demo_database_url, log_path)
        done = wait_for_job(demo_engine, job.id, timeout=120)
    finally:
        for worker in (first, second):
            if worker is not None:
                stop_worker(worker, signal.SIGTERM)
        sender.flush_all()
        sender.close()
        broker_setup.install(broker_setup.make_broker("stub://"))
    output = log_path.read_text(errors="replace")

    assert first.returncode == -signal.SIGKILL
    assert done.status == JobStatus.SUCCEEDED, output
    # Without a kill a fanned-out recompute runs its parent twice (fan out, then finish) and each
    # part once. The kill stopped one message mid-way (one thread); delivered again, it ran once
    # more — except when it was the parent's and ran after every part had succeeded: then that run
    # finished the job, and the "finish" message found it done (so no extra attempt).
    parts = jobs.parts(demo_engine, job.id)
    assert all(part.status == JobStatus.SUCCEEDED for part in parts)
    unkilled = (2 if parts else 1) + len(parts)
    assert unkilled <= done.attempts + sum(part.attempts for part in parts) <= unkilled + 1
    assert done.error is None and done.started_at <= done.finished_at
    assert done.result["partitions"] > 0 and done.result["gaps"] > 0
    assert _count(demo_engine, DepartmentValue) == done.result["partitions"]
    assert _count(demo_engine, Gap) == done.result["gaps"]
    key = (DepartmentValue.metric_id, DepartmentValue.department_id, DepartmentValue.period)
    assert _duplicates(demo_engine, DepartmentValue, *key) == 0
    assert _duplicates(demo_engine, Gap, Gap.metric_id, Gap.department_id, Gap.period) == 0
