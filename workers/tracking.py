"""Keeps each message's ``Job`` row in step with what the worker does with it.

Bookkeeping must not be lost when the database is away: a failure inside a middleware is only
logged by Dramatiq, and the message is acked or retried anyway. So a final outcome that cannot
be written is kept in the worker process (:class:`Bookkeeper`) and written when the database
returns — the bookkeeping is retried, not the work. If the process dies first, its jobs stop
beating and a relay sweeps them back to run again (``workers.relay``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import dramatiq
from dramatiq import Middleware
from dramatiq.middleware import SkipMessage, TimeLimitExceeded
from sqlalchemy import Engine

from domain import jobs
from domain.errors import masked
from workers import relay, runtime
from workers.retry_budget import given_up

log = logging.getLogger(__name__)
TIME_LIMIT_EXCEEDED = "the job ran longer than its time limit and was stopped"
HEARTBEAT_SECONDS = 30.0
MAX_BACKOFF_SECONDS = 30.0


class _ResultsAreKept(logging.Filter):
    """Dramatiq warns that an actor's return value is discarded without its Results backend;
    JobTracking keeps it in the Job row, so that warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "haven't added the Results middleware" not in record.getMessage()


logging.getLogger("dramatiq.worker.WorkerThread").addFilter(_ResultsAreKept())


@dataclass
class Outcome:
    """A message's final outcome, to be written as :func:`domain.jobs.finish` takes it."""

    job_id: str
    result: dict[str, Any] | None = None
    error: str | None = None
    unstarted: bool = False
    tries: int = 0
    due: float = field(default_factory=time.monotonic)


class Bookkeeper:
    """The worker process's running jobs (their heartbeat) and the outcomes not yet written."""

    def __init__(self, heartbeat_seconds: float = HEARTBEAT_SECONDS) -> None:
        self.heartbeat_seconds = heartbeat_seconds
        self.running: Counter[str] = Counter()
        self.pending: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def begin(self, job_id: str) -> None:
        with self._lock:
            self.running[job_id] += 1

    def end(self, job_id: str) -> None:
        with self._lock:
            self.running[job_id] -= 1
            if self.running[job_id] <= 0:
                del self.running[job_id]

    def record(self, engine: Engine, broker: dramatiq.Broker, outcome: Outcome) -> None:
        """Write ``outcome`` now, or keep it to write when the database is back."""
        try:
            self._write(engine, broker, outcome)
        except Exception:  # noqa: BLE001  (the database is away: kept, written later)
            log.warning(
                "could not record the outcome of job %s; kept until the database returns",
                outcome.job_id,
                exc_info=True,
            )
            with self._lock:
                self.pending.append(outcome)

    def _write(self, engine: Engine, broker: dramatiq.Broker, outcome: Outcome) -> None:
        parent = jobs.finish(
            engine, outcome.job_id, result=outcome.result, error=outcome.error, unstarted=outcome.unstarted
        )
        if parent is not None:  # every part succeeded: the parent finishes in a message of its own
            relay.send_now(engine, parent.id, broker)

    def flush(self, engine: Engine, broker: dramatiq.Broker) -> int:
        """Write the pending outcomes that are due; the number still pending."""
        now = time.monotonic()
        with self._lock:
            due = [o for o in self.pending if o.due <= now]
            self.pending = [o for o in self.pending if o.due > now]
        for index, outcome in enumerate(due):
            try:
                self._write(engine, broker, outcome)
            except Exception:  # noqa: BLE001  (still away: back off, keep them all)
                for later in due[index:]:
                    later.tries += 1
                    later.due = now + min(2.0**later.tries, MAX_BACKOFF_SECONDS)
                with self._lock:
                    self.pending.extend(due[index:])
                break
        with self._lock:
            return len(self.pending)

    def beat(self, engine: Engine) -> None:
        with self._lock:
            running = list(self.running)
        jobs.heartbeat(engine, running)

    def start(self, engine_factory: Callable[[], Engine], broker: dramatiq.Broker) -> None:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(engine_factory, broker), name="salon-bookkeeper", daemon=True
        )
        self._thread.start()

    def stop(self, engine_factory: Callable[[], Engine], broker: dramatiq.Broker) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self.pending:  # a last try; what stays unwritten is swept once the jobs are stale
            self.flush(engine_factory(), broker)

    def _run(self, engine_factory: Callable[[], Engine], broker: dramatiq.Broker) -> None:
        last_beat = time.monotonic()
        while not self._stop.wait(min(1.0, self.heartbeat_seconds)):
            try:
                if self.pending:
                    self.flush(engine_factory(), broker)
                if time.monotonic() - last_beat >= self.heartbeat_seconds:
                    last_beat = time.monotonic()
                    self.beat(engine_factory())
            except Exception:  # noqa: BLE001  (the database is away: the next tick tries again)
                log.debug("bookkeeping tick failed", exc_info=True)


class JobTracking(Middleware):
    """RUNNING before the actor, SUCCEEDED or FAILED after it.

    Its after-hook must run after Retries' (see ``workers.broker.make_broker``): Retries
    decides whether a failure is final (``message.failed``), and this records that decision.
    A redelivered message whose job already SUCCEEDED is skipped: delivery is at least once.
    The recorded error is :func:`domain.errors.masked`: readable for a ``UserError``, else
    "internal error" with a reference to the logged traceback.

    A job that fanned out into parts (``domain.jobs``) stays RUNNING until its parts are done.
    A start that cannot be written is not fatal (the actor runs; its outcome counts the
    attempt); a final outcome that cannot be written is kept by the :class:`Bookkeeper`; an
    intermediate one (QUEUED for a retry) is only logged: the retry writes its own.
    """

    def __init__(self, bookkeeper: Bookkeeper | None = None) -> None:
        self.bookkeeper = bookkeeper or Bookkeeper()
        self._local = threading.local()

    def after_worker_boot(self, broker, worker):
        self.bookkeeper.start(runtime.engine, broker)

    def before_worker_shutdown(self, broker, worker):
        self.bookkeeper.stop(runtime.engine, broker)

    def before_process_message(self, broker, message):
        job_id = message.kwargs.get("job_id")
        self._local.unstarted = False
        if not job_id:
            return
        try:
            started = jobs.start(runtime.engine(), job_id)
        except Exception:  # noqa: BLE001  (database away: run it anyway, the work is idempotent)
            log.warning("could not record the start of job %s; running it anyway", job_id, exc_info=True)
            self._local.unstarted = True
            started = True
        if not started:
            log.info("skipping message %s: job %s is unknown or already done", message.message_id, job_id)
            raise SkipMessage()
        self.bookkeeper.begin(job_id)

    def after_skip_message(self, broker, message):
        pass

    def after_process_message(self, broker, message, *, result=None, exception=None):
        job_id = message.kwargs.get("job_id")
        if not job_id:
            return
        self.bookkeeper.end(job_id)
        engine = runtime.engine()
        unstarted = getattr(self._local, "unstarted", False)
        if exception is None:
            if isinstance(result, dict) and result.get(jobs.WAITING):
                return  # its parts run now; the last one to succeed puts it back in the outbox
            outcome = Outcome(
                job_id, result=result if isinstance(result, dict) else None, unstarted=unstarted
            )
            self.bookkeeper.record(engine, broker, outcome)
            return
        # the log keeps the traceback; the row (and so the API) only a safe message
        error = (
            TIME_LIMIT_EXCEEDED
            if isinstance(exception, TimeLimitExceeded)
            else masked(exception, log, f"job {job_id} ({message.actor_name})")
        )
        if not message.failed:
            try:
                jobs.finish(engine, job_id, error=error, will_retry=True, unstarted=unstarted)
            except Exception:  # noqa: BLE001  (the retry records its own outcome)
                log.warning("could not record the failed attempt of job %s", job_id, exc_info=True)
            return
        outcome = Outcome(job_id, error=given_up(message, error), unstarted=unstarted)
        self.bookkeeper.record(engine, broker, outcome)
