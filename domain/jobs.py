"""Job bookkeeping: the state machine QUEUED → RUNNING → SUCCEEDED / FAILED, and the outbox.

Kept here, not in the workers, so the API and the CLI read and create jobs without
importing Dramatiq.

A job row is its own outbox entry: it is committed unsent (``sent_at`` empty) in the
transaction of the work that needs it, and marked sent only once the broker confirmed its
message (:func:`due`, :func:`mark_sent`; ``workers.relay`` sends). So a committed job is never
left without a message, whatever the broker did, and a job is sent by one sender at a time
(the row is locked while it is sent).

A job may fan out into PARTS: child jobs (``parent_id``) that run as their own messages,
anywhere. The parent stays RUNNING while they run (its message returns ``WAITING``); when the
last part succeeds, the parent goes back to QUEUED, unsent, to finish in a message of its own,
and it fails as soon as a part fails for good.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, case, exists, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from domain.db import session_scope
from domain.models import Job, JobStatus, utcnow

# The actors' names: what services enqueue by. Here, not beside the actors, so that a service
# (``domain.importing.recompute``, the API, the scheduler) names the work it queues without
# importing an actor module, whose import declares actors on a broker; only worker entry points
# import ``workers.actors``.
SUMMARISE_DATA = "summarise_data"
RECOMPUTE = "recompute"
PLAN_MONTH = "plan_month"
PLAN_PROGRESS = "plan_progress"  # args {"plan_ids": [...]}: rebuild those plans' progress and effect
# args {"periods": ["YYYY-MM", ...] or None}: a contribution, an attendance or a rating changed them
PROGRAMME_METRICS = "programme_metrics"
# notifications (``domain.notifications``)
SYNC_INVITATIONS = "sync_invitations"  # args {"salon_id": n}: a salon was scheduled, moved or cancelled
REPORT_PROGRESS = "report_progress"  # args {"plan_ids": [...]}: new data moved these plans
DELIVER_NOTIFICATIONS = "deliver_notifications"  # args {"delivery_ids": [...]}: send them

ERROR_LIMIT = 2000  # characters of error text kept on a failed job
WAITING = "waiting_for_parts"  # key of a result meaning "my parts are running; not done yet"
MAX_SEND_BACKOFF = timedelta(seconds=60)
UNFINISHED = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)


def create_job(session: Session, actor: str, args: dict[str, Any], parent_id: str | None = None) -> Job:
    """A QUEUED job, unsent: it is sent after ``session`` commits (by its creator, or a relay)."""
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


def create_parts(
    engine: Engine, parent_id: str, actor: str, arguments: list[dict[str, Any]]
) -> tuple[list[Job], bool]:
    """The parent's parts, created once: a redelivered or retried parent gets those of its first
    run. True when this call created them (its caller sends them; a relay would too)."""
    with session_scope(engine) as session:
        parent = session.get(Job, parent_id, with_for_update=True)  # one creator at a time
        if parent is None:
            raise LookupError(f"no job {parent_id}")
        existing = session.exec(select(Job).where(col(Job.parent_id) == parent_id)).all()
        if existing:
            return sorted(existing, key=lambda job: (job.created_at, job.id)), False
        created = [create_job(session, actor, args, parent_id=parent_id) for args in arguments]
        parent.result = {WAITING: True, "parts": len(created)}
        return created, True


def progress(session: Session, job_id: str) -> tuple[int, int]:
    """(parts succeeded, parts in all); (0, 0) for a job that did not fan out."""
    done = func.sum(case((col(Job.status) == JobStatus.SUCCEEDED.value, 1), else_=0))
    total, succeeded = session.exec(select(func.count(), done).where(col(Job.parent_id) == job_id)).one()
    return succeeded or 0, total


def _settle_parent(session: Session, part: Job) -> Job | None:
    """After a part's final outcome (in its transaction): fail its parent if the part failed; if
    every part has now succeeded, put the parent back in the outbox (QUEUED, unsent) to finish,
    exactly once (the parent's row is locked while its parts are counted; a parent no longer
    RUNNING was put back already). Returns the parent put back."""
    if part.parent_id is None:
        return None
    parent = session.get(Job, part.parent_id, with_for_update=True)
    if parent is None or parent.status != JobStatus.RUNNING:
        return None
    if part.status == JobStatus.FAILED:
        parent.status = JobStatus.FAILED
        parent.error = part.error
        parent.finished_at = utcnow()
        return None
    statuses = session.exec(select(Job.status).where(col(Job.parent_id) == parent.id)).all()
    if any(status != JobStatus.SUCCEEDED for status in statuses):
        return None
    _unsend(parent)
    return parent


def settle_parent(engine: Engine, part_id: str) -> Job | None:
    with session_scope(engine) as session:
        part = session.get(Job, part_id)
        return None if part is None else _settle_parent(session, part)


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
        job.started_at = job.heartbeat_at = utcnow()
        job.finished_at = None
        job.attempts += 1
        return True


def finish(
    engine: Engine,
    job_id: str,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
    will_retry: bool = False,
    unstarted: bool = False,
) -> Job | None:
    """Record a message's outcome: SUCCEEDED with ``result``, or failed with ``error`` (QUEUED
    again when ``will_retry``), and settle the parent in the same transaction, so a part's
    outcome and its parent's next state are written together or not at all. ``unstarted``: the
    start could not be recorded (the attempt is counted here). Returns the parent put back in
    the outbox, to send now."""
    with session_scope(engine) as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is None:
            return None
        if unstarted:
            job.attempts += 1
            job.started_at = job.started_at or utcnow()
        if error is None:
            job.status, job.result, job.error = JobStatus.SUCCEEDED, result, None
            job.finished_at = utcnow()
        elif job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            return None  # the retry is enqueued before this is recorded: it may have finished
        else:
            job.status = JobStatus.QUEUED if will_retry else JobStatus.FAILED
            job.error = error[:ERROR_LIMIT]
            job.finished_at = None if will_retry else utcnow()
        if will_retry:
            return None
        session.flush()
        return _settle_parent(session, job)


def succeed(engine: Engine, job_id: str, result: dict[str, Any] | None) -> Job | None:
    return finish(engine, job_id, result=result)


def fail(engine: Engine, job_id: str, error: str, will_retry: bool) -> Job | None:
    """Record an error; a job that will be retried goes back to QUEUED, keeping the error.

    A final state is kept: the retry is enqueued before this is recorded, so another worker
    thread may already have finished it.
    """
    return finish(engine, job_id, error=error, will_retry=will_retry)


def heartbeat(engine: Engine, job_ids: list[str]) -> None:
    """The running jobs of a worker are alive (see :func:`stuck`)."""
    if job_ids:
        with engine.begin() as connection:
            connection.execute(
                update(Job)
                .where(col(Job.id).in_(job_ids), col(Job.status) == JobStatus.RUNNING.value)
                .values(heartbeat_at=utcnow())
            )


# --- the outbox -------------------------------------------------------------------------------


def _unsend(job: Job) -> None:
    """Back in the outbox: QUEUED, its message to be sent (again) now."""
    job.status = JobStatus.QUEUED
    job.sent_at = job.next_send_at = job.send_error = None
    job.send_attempts = 0


def _waiting_for_parts():
    """A job some of whose parts are unfinished: it needs no message (its last part sends it)."""
    child = aliased(Job)
    return exists().where(child.parent_id == Job.id, col(child.status).in_(UNFINISHED))


def due(session: Session, now: datetime, limit: int = 50) -> list[Job]:
    """Unsent QUEUED jobs whose send is due, oldest first, locked for this sender: on PostgreSQL
    ``FOR UPDATE SKIP LOCKED`` (two relays never send the same row; each takes other rows), on
    SQLite the write lock of :func:`domain.db.session_scope`."""
    statement = (
        select(Job)
        .where(
            col(Job.status) == JobStatus.QUEUED.value,
            col(Job.sent_at).is_(None),
            or_(col(Job.next_send_at).is_(None), col(Job.next_send_at) <= now),
        )
        .order_by(col(Job.created_at), col(Job.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(statement))


def unsent(session: Session, job_id: str) -> Job | None:
    """``job_id`` if it is still to be sent and no other sender holds it (locked, as :func:`due`)."""
    statement = (
        select(Job)
        .where(col(Job.id) == job_id, col(Job.sent_at).is_(None), col(Job.status) == JobStatus.QUEUED.value)
        .with_for_update(skip_locked=True)
    )
    return session.exec(statement).first()


def mark_sent(job: Job, now: datetime) -> None:
    job.sent_at, job.send_error, job.next_send_at = now, None, None


def mark_send_failed(job: Job, now: datetime, error: str) -> None:
    """Stays unsent; tried again after an exponential backoff (1 s, 2 s, 4 s … 60 s)."""
    job.send_attempts += 1
    job.send_error = error[:ERROR_LIMIT]
    job.next_send_at = now + min(timedelta(seconds=2 ** (job.send_attempts - 1)), MAX_SEND_BACKOFF)


def requeue(session: Session, job: Job) -> None:
    """Run ``job`` again (an operator's retry): QUEUED, unsent, its error, end and send backoff
    cleared. A parent also takes its failed parts back (those that succeeded are kept)."""
    _unsend(job)
    job.error = job.finished_at = job.heartbeat_at = None
    if job.result and job.result.get(WAITING):
        job.result = None
    for part in session.exec(
        select(Job).where(col(Job.parent_id) == job.id, col(Job.status) == JobStatus.FAILED.value)
    ):
        _unsend(part)
        part.error = part.finished_at = part.heartbeat_at = None
    session.add(job)


def _stale_running(now: datetime, stale_after: timedelta):
    seen = func.coalesce(col(Job.heartbeat_at), col(Job.started_at), col(Job.created_at))
    return and_(col(Job.status) == JobStatus.RUNNING.value, seen < now - stale_after, ~_waiting_for_parts())


def _lost_queued(now: datetime, stale_after: timedelta):
    """QUEUED jobs that were sent but show no sign of life for ``stale_after``: a retry whose
    message the broker never took (Dramatiq's retry is sent while the broker is down: the
    message is gone, the row says QUEUED), or a message the broker lost. The retry backoff is
    at most a minute, so a live message has been picked up long before."""
    seen = func.coalesce(col(Job.heartbeat_at), col(Job.started_at), col(Job.sent_at))
    return and_(
        col(Job.status) == JobStatus.QUEUED.value,
        col(Job.sent_at).is_not(None),
        seen < now - stale_after,
        ~_waiting_for_parts(),
    )


def stuck(session: Session, now: datetime, stale_after: timedelta) -> list[Job]:
    """RUNNING jobs without a heartbeat for ``stale_after`` (their worker died, or lost its
    database), QUEUED jobs unsent for as long (no worker's relay can reach the broker), and
    QUEUED jobs sent but not picked up for as long (their message was lost). A parent waiting
    for its parts is not stuck."""
    unsent_long = and_(
        col(Job.status) == JobStatus.QUEUED.value,
        col(Job.sent_at).is_(None),
        col(Job.created_at) < now - stale_after,
    )
    condition = or_(_stale_running(now, stale_after), _lost_queued(now, stale_after), unsent_long)
    statement = select(Job).where(condition).order_by(col(Job.created_at), col(Job.id))
    return list(session.exec(statement))


def sweep(engine: Engine, now: datetime, stale_after: timedelta) -> list[str]:
    """Put stale RUNNING jobs and lost QUEUED ones back in the outbox, to run again (the work is
    idempotent; a message that turns up after all finds its job done, or runs it once more)."""
    with session_scope(engine) as session:
        stale = or_(_stale_running(now, stale_after), _lost_queued(now, stale_after))
        statement = select(Job).where(stale).with_for_update(skip_locked=True)
        swept = list(session.exec(statement))
        for job in swept:
            _unsend(job)
        return [job.id for job in swept]


def forget_sent(engine: Engine, before: datetime) -> list[str]:
    """After the embedded broker's restart (it keeps no message): every unfinished job sent or
    started before ``before`` is unsent QUEUED again, so the relay sends each once. Jobs sent or
    started since (by this process) and parents waiting for their parts are left alone."""
    with session_scope(engine) as session:
        earlier = or_(
            and_(col(Job.status) == JobStatus.QUEUED.value, col(Job.sent_at) < before),
            and_(
                col(Job.status) == JobStatus.RUNNING.value,
                func.coalesce(col(Job.heartbeat_at), col(Job.started_at), col(Job.created_at)) < before,
            ),
        )
        statement = select(Job).where(earlier, ~_waiting_for_parts()).with_for_update()
        forgotten = list(session.exec(statement))
        for job in forgotten:
            _unsend(job)
        return [job.id for job in forgotten]


def unfinished(engine: Engine) -> list[Job]:
    """Jobs not yet SUCCEEDED or FAILED, oldest first."""
    with Session(engine) as session:
        statement = select(Job).where(col(Job.status).in_(UNFINISHED)).order_by(col(Job.created_at))
        return list(session.exec(statement))
