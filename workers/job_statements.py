"""Jobs run their SQL under the job's statement timeout, not a request's.

A request's statements are cut short (``SALON_STATEMENT_TIMEOUT``) so a saturated database
fails a request instead of holding it; an import's COPY or a recompute's bulk INSERT may run
for minutes. Every message a worker processes is a job, so the whole of its processing runs
inside :func:`domain.db.job_statements` (in embedded mode too, where requests and jobs share
one engine).
"""

from __future__ import annotations

import threading

import dramatiq
from dramatiq.middleware import Middleware

from domain.db import enter_job_statements, leave_job_statements


class JobStatements(Middleware):
    def __init__(self) -> None:
        self._local = threading.local()  # the token of the message this worker thread processes

    def before_process_message(self, broker: dramatiq.Broker, message: dramatiq.Message) -> None:
        self._local.token = enter_job_statements()

    def after_process_message(self, broker, message, *, result=None, exception=None) -> None:
        self._leave()

    def after_skip_message(self, broker: dramatiq.Broker, message: dramatiq.Message) -> None:
        self._leave()

    def _leave(self) -> None:
        token = getattr(self._local, "token", None)
        if token is not None:
            self._local.token = None
            leave_job_statements(token)
