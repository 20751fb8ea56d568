"""The embedded mode: a StubBroker and one in-process worker, started by the server.

Nothing to install for the quick start; the Job table stands in for the durability the
stub broker lacks: its outbox relay (``workers.relay``, a middleware of every broker) starts
with the worker and sends again, once, whatever an earlier process left unfinished.
"""

from __future__ import annotations

import logging

import dramatiq
from sqlalchemy import Engine

from workers import relay

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
    """Send now, once, every job an earlier process left unfinished (the relay does it at its
    worker's boot too; both are idempotent): the ids sent. A job of an actor that no longer
    exists fails instead."""
    from workers.broker import relay_of

    found = relay_of(broker)
    if found is not None:
        found.forget(engine, broker)  # says how many it put back, if any
    sent = relay.relay_due(engine, broker)
    if sent:  # jobs queued for this start (the demo's first recompute) among them: nothing to warn of
        log.debug("sent %d queued job(s)", len(sent))
    return sent
