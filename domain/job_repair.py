"""Seeing and repairing jobs, for HR (``jobs``/``retryJob``) and operators (``salon jobs``).

A job that failed, or that stopped moving (QUEUED or RUNNING with no progress for a while: its
message lost, its worker killed), is sent again; a succeeded one is not, and a part is retried
through its parent, whose next run sends the parts still to do.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, case
from sqlmodel import Session, col, func, select

from domain import jobs
from domain.db import session_scope
from domain.errors import UserError
from domain.models import Job, JobStatus, utcnow

log = logging.getLogger(__name__)
DEFAULT_PAGE = 50
RETRIED = (JobStatus.FAILED, JobStatus.QUEUED, JobStatus.RUNNING)


class RetryRefused(UserError):
    """The job cannot be retried; the message says why."""


def listing(
    session: Session,
    *,
    status: JobStatus | None = None,
    kind: str | None = None,
    older_than: datetime | None = None,
    limit: int = DEFAULT_PAGE,
    include_parts: bool = False,
) -> list[Job]:
    """Jobs newest first; top-level ones unless ``include_parts`` (parts are under their parent)."""
    statement = listed(status=status, kind=kind, older_than=older_than, include_parts=include_parts)
    return list(session.exec(statement.limit(limit)))


def listed(
    *,
    status: JobStatus | None = None,
    kind: str | None = None,
    older_than: datetime | None = None,
    include_parts: bool = False,
):
    """The statement of ``listing``, without its page (``Query.jobsConnection`` pages it)."""
    statement = select(Job)
    if not include_parts:
        statement = statement.where(col(Job.parent_id).is_(None))
    if status is not None:
        statement = statement.where(col(Job.status) == status.value)
    if kind is not None:
        statement = statement.where(col(Job.actor) == kind)
    if older_than is not None:
        statement = statement.where(col(Job.created_at) < older_than)
    return statement.order_by(col(Job.created_at).desc(), col(Job.id).desc())


def part_counts(session: Session, job_ids: list[str]) -> dict[str, tuple[int, int]]:
    """(parts succeeded, parts in all) of each job, in one query; (0, 0) without parts."""
    done = func.sum(case((col(Job.status) == JobStatus.SUCCEEDED.value, 1), else_=0))
    statement = (
        select(col(Job.parent_id), done, func.count())
        .where(col(Job.parent_id).in_(job_ids))
        .group_by(col(Job.parent_id))
    )
    found = {
        parent: (int(succeeded or 0), int(total)) for parent, succeeded, total in session.exec(statement)
    }
    return {job_id: found.get(job_id, (0, 0)) for job_id in job_ids}


def _is_stale(job: Job, now: datetime, stale_after: timedelta) -> bool:
    """No sign of life for ``stale_after``: a RUNNING job's heartbeat, a QUEUED job's send (a
    message the broker lost is never delivered)."""
    if job.status == JobStatus.RUNNING:
        seen = job.heartbeat_at or job.started_at or job.created_at
    else:
        seen = job.sent_at or job.created_at
    return seen < now - stale_after


def _refusal(job: Job | None, job_id: str, now: datetime, stale_after: timedelta) -> str | None:
    if job is None:
        return f"id: no job {job_id!r}"
    if job.parent_id is not None:
        return (
            f"id: job {job_id} is a part of job {job.parent_id}; retry that job (its failed parts run again)"
        )
    if job.status == JobStatus.SUCCEEDED:
        return f"id: job {job_id} has succeeded; there is nothing to retry"
    if job.status != JobStatus.FAILED and not _is_stale(job, now, stale_after):
        minutes = int(stale_after.total_seconds() // 60)
        return (
            f"id: job {job_id} is {job.status} and not stuck (it moved within the last {minutes} min); "
            "only FAILED jobs and stuck ones are retried"
        )
    return None


def retry(engine: Engine, job_id: str, stale_after: timedelta, now: datetime | None = None) -> Job:
    """Put a FAILED or stuck job back in the outbox (committed, unsent), or raise
    :class:`RetryRefused`: a relay sends it (``workers.relay``), or the caller right away."""
    now = now or utcnow()
    with session_scope(engine) as session:
        job = session.get(Job, job_id, with_for_update=True)
        if (refusal := _refusal(job, job_id, now, stale_after)) is not None:
            raise RetryRefused(refusal)
        jobs.requeue(session, job)
    return job


def retry_stuck(engine: Engine, stale_after: timedelta, now: datetime | None = None) -> list[Job]:
    """Put every stuck job back in the outbox (committed); a relay sends them. A stuck part goes
    back itself (its parent, waiting for its parts, is not stuck and is left alone)."""
    now = now or utcnow()
    with session_scope(engine) as session:
        found = jobs.stuck(session, now, stale_after)
        for job in found:
            jobs.requeue(session, job)
    return found


def warning_of(result: dict | None) -> str | None:
    """What went wrong in a job that still succeeded — plugins that failed while planning (the
    result's ``warning``) — or None."""
    found = (result or {}).get("warning") if isinstance(result, dict) else None
    return found if isinstance(found, str) and found.strip() else None


@dataclass(frozen=True)
class Row:
    """One job as ``salon jobs`` prints it."""

    job: Job
    parts_done: int
    parts_total: int

    @property
    def warning(self) -> str | None:
        return warning_of(self.job.result)

    @property
    def error_line(self) -> str:
        if (self.job.error or "").strip():
            return self.job.error.strip().splitlines()[0]
        return f"warning: {self.warning}" if self.warning else ""

    def to_json(self) -> dict[str, object]:
        job = self.job
        return {
            "id": job.id,
            "kind": job.actor,
            "status": job.status,
            "attempts": job.attempts,
            "parent_id": job.parent_id,
            "created_at": job.created_at.isoformat(),
            "started_at": job.started_at.isoformat() if job.started_at else None,
            "finished_at": job.finished_at.isoformat() if job.finished_at else None,
            "error": job.error,
            "warning": self.warning,
            "parts_done": self.parts_done,
            "parts_total": self.parts_total,
        }


def rows(session: Session, found: list[Job]) -> list[Row]:
    counts = part_counts(session, [job.id for job in found])
    return [Row(job, *counts[job.id]) for job in found]
