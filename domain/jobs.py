"""Job bookkeeping: the state machine QUEUED → RUNNING → SUCCEEDED / FAILED.

Kept here, not in the workers, so the API and the CLI read and create jobs without
importing Dramatiq.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.models import Job, JobStatus, utcnow

ERROR_LIMIT = 2000  # characters of error text kept on a failed job


def create_job(session: Session, actor: str, args: dict[str, Any]) -> Job:
    job = Job(actor=actor, args=args)
    session.add(job)
    session.flush()
    return job


def get_job(engine: Engine, job_id: str) -> Job | None:
    with Session(engine) as session:
        return session.get(Job, job_id)


def start(engine: Engine, job_id: str) -> bool:
    """Mark a job RUNNING; False when there is nothing to run (unknown, or already done)."""
    with session_scope(engine) as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.status == JobStatus.SUCCEEDED:
            return False
        job.status = JobStatus.RUNNING
        job.started_at = utcnow()
        job.finished_at = None
        job.attempts += 1
        return True


def succeed(engine: Engine, job_id: str, result: dict[str, Any] | None) -> None:
    with session_scope(engine) as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is not None:
            job.status = JobStatus.SUCCEEDED
            job.result = result
            job.error = None
            job.finished_at = utcnow()


def fail(engine: Engine, job_id: str, error: str, will_retry: bool) -> None:
    """Record an error; a job that will be retried goes back to QUEUED, keeping the error.

    A final state is kept: the retry is enqueued before this is recorded, so another worker
    thread may already have finished it.
    """
    with session_scope(engine) as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is not None and job.status not in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            job.status = JobStatus.QUEUED if will_retry else JobStatus.FAILED
            job.error = error[:ERROR_LIMIT]
            job.finished_at = None if will_retry else utcnow()


def unfinished(engine: Engine) -> list[Job]:
    """Jobs a restart must enqueue again, oldest first."""
    with Session(engine) as session:
        statement = (
            select(Job)
            .where(col(Job.status).in_([JobStatus.QUEUED, JobStatus.RUNNING]))
            .order_by(col(Job.created_at))
        )
        return list(session.exec(statement))
