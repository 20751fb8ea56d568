"""The outbox relay: every committed job gets its message, whatever the broker did.

A job row is committed unsent with the work that needs it (``domain.jobs``). Its creator then
tries once to send it (:func:`send_now`): the broker may be down, and the work is done either
way, so a refusal is recorded on the row, never raised. A relay thread in every worker process
(and the server's embedded worker) sends what is still unsent every few seconds, with an
exponential backoff per row, and sweeps RUNNING jobs whose worker stopped beating back into the
outbox. Sending locks the row (``domain.jobs.due``): two senders never send the same job.

The embedded broker keeps nothing across restarts: at its worker's boot, the jobs an earlier
process sent or started are put back unsent (``domain.jobs.forget_sent``), and sent once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.errors import ActorNotFound
from sqlalchemy import Engine

from domain import jobs
from domain.db import session_scope
from domain.models import Job, JobStatus, utcnow

log = logging.getLogger(__name__)
POLL_SECONDS = 2.0


def send(broker: dramatiq.Broker, job: Job) -> None:
    """The job's message, by actor name; returns once the broker confirmed it (RabbitMQ
    publishes with ``confirm_delivery``; Redis answers the enqueue)."""
    broker.get_actor(job.actor).send_with_options(kwargs={**job.args, "job_id": job.id})


def _send_locked(broker: dramatiq.Broker, job: Job, now: datetime) -> bool:
    try:
        send(broker, job)
    except ActorNotFound:  # a retired actor: sending again would never help
        job.status, job.error, job.finished_at = JobStatus.FAILED, f"unknown actor {job.actor!r}", now
        return False
    except Exception as error:  # noqa: BLE001  (the row stays unsent: the relay tries again)
        log.warning("sending job %s (%s) failed; it stays unsent", job.id, job.actor, exc_info=True)
        jobs.mark_send_failed(job, now, f"{type(error).__name__}: the broker refused the message")
        return False
    jobs.mark_sent(job, now)
    return True


def send_now(engine: Engine, job_id: str, broker: dramatiq.Broker | None = None) -> bool:
    """Send ``job_id`` right after the commit that created it; True when the broker confirmed it.

    Never raises: the job is committed, so its work is safe; an unsent job is the relay's."""
    try:
        broker = broker or dramatiq.get_broker()
        with session_scope(engine) as session:
            job = jobs.unsent(session, job_id)
            return job is not None and _send_locked(broker, job, utcnow())
    except Exception:  # noqa: BLE001  (the database failed: the row, if committed, is still unsent)
        log.warning("sending job %s right away failed; a relay will send it", job_id, exc_info=True)
        return False


def relay_due(engine: Engine, broker: dramatiq.Broker, now: datetime | None = None) -> list[str]:
    """One pass: send the due unsent jobs; the ids sent. Stops at the first refusal (the broker
    is likely down; the others are tried at the next pass)."""
    sent: list[str] = []
    with session_scope(engine) as session:
        for job in jobs.due(session, now or utcnow()):
            if not _send_locked(broker, job, utcnow()):
                if job.status != JobStatus.FAILED:
                    break
                continue
            sent.append(job.id)
    return sent


class Relay(dramatiq.Middleware):
    """Sends unsent jobs and sweeps stale ones, in a daemon thread of every worker process."""

    def __init__(
        self,
        engine_factory: Callable[[], Engine],
        stale_after: timedelta,
        interval: float = POLL_SECONDS,
    ) -> None:
        self.engine_factory, self.stale_after, self.interval = engine_factory, stale_after, interval
        self.booted_at: datetime | None = None
        self._stop, self._wake = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self.booted_at = utcnow()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(broker,), name="salon-relay", daemon=True)
        self._thread.start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def wake(self) -> None:
        """Pass now instead of at the next tick."""
        self._wake.set()

    def forget(self, engine: Engine, broker: dramatiq.Broker) -> list[str]:
        """The embedded broker's restart (see the module): idempotent, so the server may call it
        again after the boot did."""
        if not isinstance(broker, StubBroker):
            return []
        forgotten = jobs.forget_sent(engine, self.booted_at or utcnow())
        if forgotten:  # never sent jobs are only sent: a new database has nothing to say here
            log.info("%d job(s) an earlier process left unfinished: sent again", len(forgotten))
        return forgotten

    def _run(self, broker: dramatiq.Broker) -> None:
        failures, forgotten = 0, False
        while not self._stop.is_set():
            try:
                engine = self.engine_factory()
                if not forgotten:
                    self.forget(engine, broker)
                    forgotten = True
                swept = jobs.sweep(engine, utcnow(), self.stale_after)
                if swept:
                    log.warning(
                        "%d job(s) without a heartbeat for %s sent again", len(swept), self.stale_after
                    )
                relay_due(engine, broker)
                failures = 0
            except Exception:  # noqa: BLE001  (database away: the next pass tries again)
                failures += 1
                log.warning("the outbox relay's pass failed; trying again", exc_info=failures == 1)
            delay = min(self.interval * 2 ** min(failures, 5), 60.0)
            self._wake.wait(delay)
            self._wake.clear()
