"""On Redis, a message a SIGKILLed worker held comes back within the heartbeat timeout plus the
maintenance interval, with Dramatiq's default maintenance chance (at which it took 19 minutes).

A second worker is running when the first is killed mid-job (the lock trick of
``test_worker_kill``): its maintenance timer, not a lucky command, must hand the message back.
"""

from __future__ import annotations

import signal
import subprocess
import time

import pytest
import redis

from domain.models import JobStatus
from domain.settings import load_settings
from tests.support import services
from tests.support.jobs import wait_for_job
from tests.support.processes import salon_env, start_worker, stop_worker
from tests.workers.test_worker_kill import _results_locked, _wait_until_blocked_mid_job
from workers import broker as broker_setup
from workers import runtime
from workers.actors import recompute
from workers.jobs import enqueue

pytestmark = [pytest.mark.redis, pytest.mark.parametrize("demo_database_url", ["postgresql"], indirect=True)]

HEARTBEAT_TIMEOUT = 3.0  # seconds (SALON_REDIS_HEARTBEAT_TIMEOUT_MS in the workers)
MAINTENANCE_INTERVAL = HEARTBEAT_TIMEOUT / 2
SLACK = 2.0


def _start_worker(database_url: str, log_path) -> subprocess.Popen:
    env = salon_env(  # the default maintenance chance: only the timer makes redelivery prompt
        SALON_BROKER_URL=services.REDIS_URL,
        SALON_DATABASE_URL=database_url,
        SALON_REDIS_HEARTBEAT_TIMEOUT_MS=str(int(HEARTBEAT_TIMEOUT * 1000)),
    )
    return start_worker(env, log_path)


def _heartbeats() -> set[bytes]:
    return set(redis.Redis.from_url(services.REDIS_URL).zrange("salon:__heartbeats__", 0, -1))


def _new_heartbeat(known: set[bytes], timeout: float = 60.0) -> bytes:
    """The broker id of a worker process that booted: it beat in Redis (its timer does)."""
    deadline = time.monotonic() + timeout
    while not (new := _heartbeats() - known):
        assert time.monotonic() < deadline, "the worker never sent a heartbeat"
        time.sleep(0.1)
    (broker_id,) = new
    return broker_id


def _held_by(broker_id: bytes) -> list[bytes]:
    """Keys of the messages a worker fetched and has not acknowledged."""
    return redis.Redis.from_url(services.REDIS_URL).keys(b"salon:__acks__." + broker_id + b".*")


def test_a_killed_workers_messages_are_requeued_within_heartbeat_timeout_plus_interval(
    demo_database_url, demo_engine, tmp_path
):
    services.require("redis")
    runtime.configure(load_settings({}), demo_engine)
    sender = broker_setup.install(broker_setup.make_broker(services.REDIS_URL))
    sender.flush_all()
    log_path = tmp_path / "workers.log"
    known = _heartbeats()
    first = _start_worker(demo_database_url, log_path)
    second = None
    try:
        first_id = _new_heartbeat(known)
        with _results_locked(demo_engine):
            job = enqueue(demo_engine, recompute)
            _wait_until_blocked_mid_job(demo_engine, job.id)
            assert _held_by(first_id)
            second = _start_worker(demo_database_url, log_path)
            _new_heartbeat(known | {first_id})
            stop_worker(first, signal.SIGKILL)
            killed = time.monotonic()
        bound = HEARTBEAT_TIMEOUT + MAINTENANCE_INTERVAL + SLACK
        while _held_by(first_id) and time.monotonic() - killed < bound + 30:
            time.sleep(0.05)
        requeued = time.monotonic() - killed
        done = wait_for_job(demo_engine, job.id, timeout=120)
    finally:
        for worker in (first, second):
            if worker is not None:
                stop_worker(worker, signal.SIGTERM)
        sender.flush_all()
        sender.close()
        broker_setup.install(broker_setup.make_broker("stub://"))
    output = log_path.read_text(errors="replace")

    print(f"requeued {requeued:.2f} s after the kill (bound {bound:.1f} s)")
    assert first.returncode == -signal.SIGKILL
    assert requeued < bound, (requeued, output)
    assert done.status == JobStatus.SUCCEEDED, output
