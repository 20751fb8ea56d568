"""The embedded mode: a StubBroker and one in-process worker, started by the server.

Nothing to install for the quick start; the Job table stands in for the durability the
stub broker lacks (see :func:`requeue_unfinished`).
"""

from __future__ import annotations

import logging

import dramatiq
from sqlalchemy import Engine

from domain import jobs

log = logging.getLogger(__name__)


def start_worker(broker: dramatiq.Broker, threads: int, poll_ms: int = 250) -> dramatiq.Worker:
    """``poll_ms`` bounds how long an idle consumer waits, and so how long stopping takes."""
    broker.emit_after("process_boot")  # starts TimeLimit and the other boot-time middleware
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=poll_ms)
    worker.start()
    return worker


def stop_worker(worker: dramatiq.Worker, broker: dramatiq.Broker) -> None:
    worker.stop(timeout=10_000)  # lets running actors finish
    broker.close()


def requeue_unfinished(engine: Engine, broker: dramatiq.Broker) -> list[str]:
    """Send again every job left QUEUED or RUNNING by a previous process."""
    requeued = []
    for job in jobs.unfinished(engine):
        if job.actor not in broker.get_declared_actors():
            jobs.fail(engine, job.id, f"unknown actor {job.actor!r}", will_retry=False)
            continue
        broker.get_actor(job.actor).send_with_options(kwargs={**job.args, "job_id": job.id})
        requeued.append(job.id)
    if requeued:
        log.info("requeued %d unfinished job(s)", len(requeued))
    return requeued
