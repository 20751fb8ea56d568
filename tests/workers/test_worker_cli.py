"""``salon worker`` processes jobs sent through Redis and RabbitMQ from another process."""

from __future__ import annotations

import subprocess

from domain.models import JobStatus
from domain.settings import load_settings
from tests.support.processes import SALON, salon_env
from tests.workers.conftest import wait_for_job
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
