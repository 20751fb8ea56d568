"""Job bookkeeping: the state machine QUEUED → RUNNING → SUCCEEDED / FAILED.

Kept here, not in the workers, so the API and the CLI read and create jobs without
importing Dramatiq.

A job may fan out into PARTS: child jobs (``parent_id``) that run as their own messages,
anywhere. The parent stays RUNNING while they run (its message returns ``WAITING``); when the
last part succeeds, the parent is sent once more to finish, and it fails as soon as a part
fails for good.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, case
from sqlmodel import Session, col, func, select

from domain.db import session_scope
from domain.models import Job, JobStatus, utcnow

ERROR_LIMIT = 2000  # characters of error text kept on a failed job
WAITING = "waiting_for_parts"  # key of a result meaning "my parts are running; not done yet"


def create_job(session: Session, actor: str, args: dict[str, Any], parent_id: str | None = None) -> Job:
    job = Job(actor=actor, args=args, parent_id=parent_id)
    session.add(job)
    session.flush()
    return job


def parts(engine: Engine, parent_id: str) -> list[Job]:
    with Session(engine) as session:
        statement = (
            select(Job).where(col(Job.parent_id) == parent_id).order_by(col(Job.created_at), col(Job.id))
        )
        return list(session.exec(statement))


def create_parts(engine: Engine, parent_id: str, actor: str, arguments: list[dict[str, Any]]) -> list[Job]:
    """The parent's parts, created once: a redelivered or retried parent gets those of its first run."""
    with session_scope(engine) as session:
        parent = session.get(Job, parent_id, with_for_update=True)  # one creator at a time
        if parent is None:
            raise LookupError(f"no job {parent_id}")
        existing = session.exec(select(Job).where(col(Job.parent_id) == parent_id)).all()
        if existing:
            return sorted(existing, key=lambda job: (job.created_at, job.id))
        created = [create_job(session, actor, args, parent_id=parent_id) for args in arguments]
        parent.result = {WAITING: True, "parts": len(created)}
        return created


def progress(session: Session, job_id: str) -> tuple[int, int]:
    """(parts succeeded, parts in all); (0, 0) for a job that did not fan out."""
    done = func.sum(case((col(Job.status) == JobStatus.SUCCEEDED.value, 1), else_=0))
    total, succeeded = session.exec(select(func.count(), done).where(col(Job.parent_id) == job_id)).one()
    return succeeded or 0, total


def settle_parent(engine: Engine, part_id: str) -> Job | None:
    """After a part's final outcome: fail its parent if the part failed; if every part has now
    succeeded, return the parent — to be sent once more to finish — exactly once (the parent's
    row is locked while its parts are counted, and ``finishing`` remembers it was sent)."""
    with session_scope(engine) as session:
        part = session.get(Job, part_id)
        if part is None or part.parent_id is None:
            return None
        parent = session.get(Job, part.parent_id, with_for_update=True)
        if parent is None or parent.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            return None
        if part.status == JobStatus.FAILED:
            parent.status = JobStatus.FAILED
            parent.error = part.error
            parent.finished_at = utcnow()
            return None
        statuses = session.exec(select(Job.status).where(col(Job.parent_id) == parent.id)).all()
        if any(status != JobStatus.SUCCEEDED for status in statuses) or (parent.result or {}).get(
            "finishing"
        ):
            return None
        parent.result = {**(parent.result or {}), "finishing": True}
        return parent


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


# provisional: replaced by the outbox branch
def requeue(session: Session, job: Job) -> None:
    """Back to QUEUED for another run: error and finish time cleared. Its failed parts too, so
    the parent's next run sends them again (a parent only sends its QUEUED parts)."""
    for target in [job, *session.exec(select(Job).where(col(Job.parent_id) == job.id))]:
        if target is job or target.status == JobStatus.FAILED:
            target.status = JobStatus.QUEUED
            target.error = None
            target.finished_at = None
            session.add(target)


# provisional: replaced by the outbox branch
def stuck(session: Session, now: datetime, stale_after: timedelta) -> list[Job]:
    """QUEUED or RUNNING jobs without progress for ``stale_after``: started (or, never started,
    created) before ``now - stale_after``; oldest first."""
    before = now - stale_after
    since = func.coalesce(col(Job.started_at), col(Job.created_at))
    statement = (
        select(Job)
        .where(col(Job.status).in_([JobStatus.QUEUED, JobStatus.RUNNING]), since < before)
        .order_by(col(Job.created_at), col(Job.id))
    )
    return list(session.exec(statement))
