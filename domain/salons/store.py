"""Reading and changing stored salons.

Every read of salons goes through :func:`visible_salons`, which filters by department ids:
that is the one place row-level permissions plug in (``department_ids=None`` means all). A
change takes the departments the caller speaks for and finds only the salons they *attend*: the
department hosting another's exchange is a guest there and does not run it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, or_, select

from domain.errors import Conflict, InvalidArgument, NotFound
from domain.jobs import SYNC_INVITATIONS, create_job
from domain.models import Salon, SalonDepartment, SalonStatus, utcnow
from domain.salons.timing import offset_minutes

EDITABLE = {SalonStatus.PROPOSED.value, SalonStatus.SCHEDULED.value}
REASON_LIMIT = 500
SCHEDULE_WINDOW = timedelta(days=2 * 365)  # a salon is held within about two years of today
MONTH_CLAIM = 0x5A1  # first key of a month's advisory lock on PostgreSQL; the second is YYYYMM


class SalonError(InvalidArgument):
    """A salon cannot be found or cannot make the requested change; the message says why."""


class SalonConflict(SalonError, Conflict):
    """The salon's state does not allow the change (cancelled, closed, not held yet)."""

    code = Conflict.code


class SalonNotFound(SalonError, NotFound):
    """No such salon among those the caller's departments attend."""

    code = NotFound.code


def visible_salons(
    session: Session,
    *,
    department_ids: Collection[int] | None = None,
    month: str | None = None,
    salon_ids: Collection[int] | None = None,
    for_update: bool = False,
    hosted: bool = True,
) -> list[Salon]:
    """Salons that one of ``department_ids`` attends or (with ``hosted``) hosts (all when None),
    by month then id."""
    statement = select(Salon)
    if department_ids is not None:
        attending = col(Salon.id).in_(
            select(SalonDepartment.salon_id).where(col(SalonDepartment.department_id).in_(department_ids))
        )
        statement = statement.where(
            or_(attending, col(Salon.host_department_id).in_(department_ids)) if hosted else attending
        )
    if month is not None:
        statement = statement.where(Salon.month == month)
    if salon_ids is not None:
        statement = statement.where(col(Salon.id).in_(salon_ids))
    if for_update:
        statement = statement.with_for_update()
    return list(session.exec(statement.order_by(col(Salon.month), col(Salon.id))))


def claim_month(session: Session, month: str) -> None:
    """Take the month's claim before reading its salons to rewrite them, so a second planning of
    the month waits for the first to commit and then finds its salons — instead of both finding
    none and colliding on the (month, department) index. PostgreSQL: a transaction-scoped
    advisory lock per month. SQLite: the write lock that ``session_scope`` takes before the
    first read already serialises writers, so nothing more is needed there."""
    if session.get_bind().dialect.name != "postgresql":
        return
    year, number = month.split("-")
    key = int(year) * 100 + int(number)
    session.execute(text("SELECT pg_advisory_xact_lock(:kind, :month)"), {"kind": MONTH_CLAIM, "month": key})


def attending_department_ids(session: Session, salon_ids: Collection[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {salon_id: [] for salon_id in salon_ids}
    statement = select(SalonDepartment).where(col(SalonDepartment.salon_id).in_(salon_ids))
    for link in session.exec(statement.order_by(col(SalonDepartment.department_id))):
        found[link.salon_id].append(link.department_id)
    return found


def attended_salon(session: Session, salon_id: int, department_ids: Collection[int] | None) -> Salon:
    """The salon to change, locked, if one of ``department_ids`` attends it (any salon when None)."""
    found = visible_salons(
        session, department_ids=department_ids, salon_ids=[salon_id], for_update=True, hosted=False
    )
    if not found:
        whose = "" if department_ids is None else " that your departments attend"
        raise SalonNotFound(f"no salon {salon_id}{whose}", field="salon_id")
    return found[0]


def editable_salon(
    session: Session, salon_id: int, department_ids: Collection[int] | None, action: str
) -> Salon:
    """The salon to change while it is PROPOSED or SCHEDULED (see :func:`attended_salon`)."""
    salon = attended_salon(session, salon_id, department_ids)
    if salon.status not in EDITABLE:
        raise SalonConflict(
            f"salon {salon_id} is {salon.status} and can no longer be {action}", field="salon_id"
        )
    return salon


def schedule(
    session: Session,
    salon_id: int,
    at: datetime,
    department_ids: Collection[int] | None = None,
    *,
    now: datetime | None = None,
) -> Salon:
    """PROPOSED or SCHEDULED → SCHEDULED at ``at`` (a rescheduling keeps the salon), which must be
    to come and within ``SCHEDULE_WINDOW`` of now; kept with the offset it was given in
    (``domain.salons.timing``)."""
    utc = scheduled_time(at, now)
    salon = editable_salon(session, salon_id, department_ids, "scheduled")
    salon.status = SalonStatus.SCHEDULED.value
    salon.scheduled_at = utc
    salon.scheduled_offset_minutes = offset_minutes(at)
    salon.updated_at = utcnow()
    session.add(salon)
    invite(session, salon)
    return salon


def invite(session: Session, salon: Salon) -> None:
    """Queue, in the change's transaction, the job that tells the salon's people what changed
    (``domain.notifications.invitations``): invitations, updates, cancellations."""
    create_job(session, SYNC_INVITATIONS, {"salon_id": salon.id})


def scheduled_time(at: datetime, now: datetime | None = None) -> datetime:
    """``at`` in UTC, refused without a time zone, before ``now`` or more than
    ``SCHEDULE_WINDOW`` after it (a year 9999 time cannot even be converted to UTC)."""
    if at.tzinfo is None:
        raise SalonError("needs a time zone (e.g. 2026-12-03T14:00:00+08:00)", field="at")
    now = now or utcnow()
    try:
        utc = at.astimezone(UTC)
    except OverflowError:  # beyond year 1 or 9999 in UTC
        utc = None
    if (utc is None and at.year < now.year) or (utc is not None and utc < now):
        shown = now.astimezone(at.tzinfo) if utc is not None else now
        raise SalonError(
            f"{at.isoformat()} is in the past (it is now {shown.isoformat(timespec='minutes')}): "
            "a salon is scheduled for a time to come",
            field="at",
        )
    if utc is None or utc > now + SCHEDULE_WINDOW:
        raise SalonError(f"a salon is scheduled within {SCHEDULE_WINDOW.days} days of today", field="at")
    return utc


def cancel(
    session: Session, salon_id: int, reason: str, department_ids: Collection[int] | None = None
) -> Salon:
    """PROPOSED or SCHEDULED → CANCELLED, with the reason people give."""
    reason = reason.strip()
    if not reason:
        raise SalonError("must not be empty", field="reason")
    if len(reason) > REASON_LIMIT:
        raise SalonError(f"at most {REASON_LIMIT} characters", field="reason")
    salon = editable_salon(session, salon_id, department_ids, "cancelled")
    salon.status = SalonStatus.CANCELLED.value
    salon.cancel_reason = reason
    salon.updated_at = utcnow()
    session.add(salon)
    invite(session, salon)
    return salon
