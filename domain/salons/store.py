"""Reading and changing stored salons.

Every read of salons goes through :func:`visible_salons`, which filters by department ids:
that is the one place row-level permissions plug in (``department_ids=None`` means all).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from sqlmodel import Session, col, or_, select

from domain.errors import InvalidArgument
from domain.models import Salon, SalonDepartment, SalonStatus, utcnow

EDITABLE = {SalonStatus.PROPOSED.value, SalonStatus.SCHEDULED.value}
REASON_LIMIT = 500


class SalonError(InvalidArgument):
    """A salon cannot be found or cannot make the requested change; the message says why."""


def visible_salons(
    session: Session,
    *,
    department_ids: Collection[int] | None = None,
    month: str | None = None,
    salon_ids: Collection[int] | None = None,
    for_update: bool = False,
) -> list[Salon]:
    """Salons that one of ``department_ids`` attends or hosts (all when None), by month then id."""
    statement = select(Salon)
    if department_ids is not None:
        attending = select(SalonDepartment.salon_id).where(
            col(SalonDepartment.department_id).in_(department_ids)
        )
        statement = statement.where(
            or_(col(Salon.id).in_(attending), col(Salon.host_department_id).in_(department_ids))
        )
    if month is not None:
        statement = statement.where(Salon.month == month)
    if salon_ids is not None:
        statement = statement.where(col(Salon.id).in_(salon_ids))
    if for_update:
        statement = statement.with_for_update()
    return list(session.exec(statement.order_by(col(Salon.month), col(Salon.id))))


def attending_department_ids(session: Session, salon_ids: Collection[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {salon_id: [] for salon_id in salon_ids}
    statement = select(SalonDepartment).where(col(SalonDepartment.salon_id).in_(salon_ids))
    for link in session.exec(statement.order_by(col(SalonDepartment.department_id))):
        found[link.salon_id].append(link.department_id)
    return found


def _editable(session: Session, salon_id: int, department_ids: Collection[int] | None, action: str) -> Salon:
    found = visible_salons(session, department_ids=department_ids, salon_ids=[salon_id], for_update=True)
    if not found:
        raise SalonError(f"salonId: no salon {salon_id}")
    salon = found[0]
    if salon.status not in EDITABLE:
        raise SalonError(f"salonId: salon {salon_id} is {salon.status} and can no longer be {action}")
    return salon


def schedule(
    session: Session, salon_id: int, at: datetime, department_ids: Collection[int] | None = None
) -> Salon:
    """PROPOSED or SCHEDULED → SCHEDULED at ``at`` (a rescheduling keeps the salon)."""
    if at.tzinfo is None:
        raise SalonError("at: needs a time zone (e.g. 2026-12-03T14:00:00+08:00)")
    salon = _editable(session, salon_id, department_ids, "scheduled")
    salon.status = SalonStatus.SCHEDULED.value
    salon.scheduled_at = at.astimezone(UTC)
    salon.updated_at = utcnow()
    session.add(salon)
    return salon


def cancel(
    session: Session, salon_id: int, reason: str, department_ids: Collection[int] | None = None
) -> Salon:
    """PROPOSED or SCHEDULED → CANCELLED, with the reason people give."""
    reason = reason.strip()
    if not reason:
        raise SalonError("reason: must not be empty")
    if len(reason) > REASON_LIMIT:
        raise SalonError(f"reason: at most {REASON_LIMIT} characters")
    salon = _editable(session, salon_id, department_ids, "cancelled")
    salon.status = SalonStatus.CANCELLED.value
    salon.cancel_reason = reason
    salon.updated_at = utcnow()
    session.add(salon)
    return salon
