"""Keeps each message's ``Job`` row in step with what the worker does with it."""

from __future__ import annotations

import logging

from dramatiq import Middleware
from dramatiq.middleware import SkipMessage, TimeLimitExceeded

from domain import jobs
from domain.errors import masked
from workers import runtime

log = logging.getLogger(__name__)
TIME_LIMIT_EXCEEDED = "the job ran longer than its time limit and was stopped"


class _ResultsAreKept(logging.Filter):
    """Dramatiq warns that an actor's return value is discarded without its Results backend;
    JobTracking keeps it in the Job row, so that warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "haven't added the Results middleware" not in record.getMessage()


logging.getLogger("dramatiq.worker.WorkerThread").addFilter(_ResultsAreKept())


class JobTracking(Middleware):
    """RUNNING before the actor, SUCCEEDED or FAILED after it.

    Its after-hook must run after Retries' (see ``workers.broker.make_broker``): Retries
    decides whether a failure is final (``message.failed``), and this records that decision.
    A redelivered message whose job already SUCCEEDED is skipped: delivery is at least once.
    The recorded error is :func:`domain.errors.masked`: readable for a ``UserError``, else
    "internal error" with a reference to the logged traceback.

    A job that fanned out into parts (``domain.jobs``) stays RUNNING until its parts are done.
    """

    def before_process_message(self, broker, message):
        job_id = message.kwargs.get("job_id")
        if job_id and not jobs.start(runtime.engine(), job_id):
            log.info("skipping message %s: job %s is unknown or already done", message.message_id, job_id)
            raise SkipMessage()

    def after_process_message(self, broker, message, *, result=None, exception=None):
        job_id = message.kwargs.get("job_id")
        if not job_id:
            return
        engine = runtime.engine()
        if exception is None:
            if isinstance(result, dict) and result.get(jobs.WAITING):
                return  # its parts run now; the last one to succeed sends it again (below)
            jobs.succeed(engine, job_id, result if isinstance(result, dict) else None)
        else:
            # the log keeps the traceback; the row (and so the API) only a safe message
            error = (
                TIME_LIMIT_EXCEEDED
                if isinstance(exception, TimeLimitExceeded)
                else masked(exception, log, f"job {job_id} ({message.actor_name})")
            )
            jobs.fail(engine, job_id, error, will_retry=not message.failed)
            if not message.failed:
                return
        parent = jobs.settle_parent(engine, job_id)
        if parent is not None:  # every part succeeded: the parent finishes in a message of its own
            broker.get_actor(parent.actor).send_with_options(kwargs={**parent.args, "job_id": parent.id})
