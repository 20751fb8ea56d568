"""``salon worker`` processes jobs sent through Redis and RabbitMQ from another process."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from domain.models import JobStatus
from domain.settings import load_settings
from tests.support.jobs import wait_for_job
from tests.support.processes import SALON, salon_env
from workers import broker as broker_setup
from workers import runtime
from workers.actors import summarise_data
from workers.jobs import enqueue


def test_a_separate_worker_process_runs_the_job(broker_url, database_url, engine):
    runtime.configure(load_settings({}), engine)
    sender = broker_setup.install(broker_setup.make_broker(broker_url))
    worker = subprocess.Popen(
        [SALON, "worker", "--processes", "1", "--threads", "2"],
        env=salon_env(SALON_BROKER_URL=broker_url, SALON_DATABASE_URL=database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        job = enqueue(engine, summarise_data)
        done = wait_for_job(engine, job.id, timeout=60)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
        sender.close()
        broker_setup.install(broker_setup.make_broker("stub://"))

    assert done.status == JobStatus.SUCCEEDED, output
    assert done.result["observations"]["rows"] == 0


def test_two_worker_processes_share_one_recompute(broker_url, demo_database_url):
    """The parts of a full recompute go to whichever worker takes them; the result is whole."""
    from domain import jobs
    from domain.db import make_engine
    from tests.workers.results import snapshot
    from workers.actors import recompute
    from workers.rebuild import rebuild

    engine = make_engine(demo_database_url)
    runtime.configure(load_settings({}), engine)
    sender = broker_setup.install(broker_setup.make_broker(broker_url))
    sender.flush_all()
    env = salon_env(SALON_BROKER_URL=broker_url, SALON_DATABASE_URL=demo_database_url)
    command = [SALON, "worker", "--processes", "1", "--threads", "1"]
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2)
    ]
    try:
        job = enqueue(engine, recompute)
        done = wait_for_job(engine, job.id, timeout=180)
    finally:
        for worker in workers:
            worker.terminate()
        outputs = [worker.communicate(timeout=30)[0] for worker in workers]
        sender.close()
        broker_setup.install(broker_setup.make_broker("stub://"))

    assert done.status == JobStatus.SUCCEEDED, (done.error, outputs)
    parts = jobs.parts(engine, job.id)
    ran_by = {part.result["worker"].rsplit(":", 1)[1] for part in parts}
    assert len(parts) == 10 and all(part.status == JobStatus.SUCCEEDED for part in parts)
    # each part ran in one of the two worker processes (or the processes they forked)
    assert ran_by and str(os.getpid()) not in ran_by
    shared = snapshot(engine)
    rebuild(engine)
    assert snapshot(engine) == shared
    engine.dispose()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and b"dramatiq" in cmdline:
            found.append(int(entry.name))
    return sorted(found)


def _workers(supervisor: subprocess.Popen, count: int, timeout: float = 60) -> tuple[int, list[int]]:
    """The running dramatiq CLI under ``supervisor`` and its ``count`` worker processes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for main in _children(supervisor.pid):
            if len(workers := _children(main)) == count:
                return main, workers
        time.sleep(0.2)
    raise AssertionError(f"no dramatiq CLI with {count} worker processes under {supervisor.pid}")


@pytest.mark.redis
@pytest.mark.parametrize("broker_url", ["redis"], indirect=True)
def test_a_killed_worker_process_is_restarted_and_jobs_still_run(broker_url, database_url, engine):
    runtime.configure(load_settings({}), engine)
    sender = broker_setup.install(broker_setup.make_broker(broker_url))
    supervisor = subprocess.Popen(
        [SALON, "worker", "--processes", "2", "--threads", "1"],
        env=salon_env(SALON_BROKER_URL=broker_url, SALON_DATABASE_URL=database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first, workers = _workers(supervisor, 2)
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 60
        while (main := _workers(supervisor, 2)[0]) == first and time.monotonic() < deadline:
            time.sleep(0.2)

        job = enqueue(engine, summarise_data)
        done = wait_for_job(engine, job.id, timeout=60)
        alive = supervisor.poll() is None
    finally:
        supervisor.terminate()
        output = supervisor.communicate(timeout=60)[0]
        sender.close()
        broker_setup.install(broker_setup.make_broker("stub://"))

    assert main != first, output  # a new dramatiq CLI took over
    assert alive and done.status == JobStatus.SUCCEEDED, output
    assert "exited unexpectedly" in output and "restarting in 1 s" in output
    assert supervisor.returncode == 0, output  # SIGTERM: a clean stop
