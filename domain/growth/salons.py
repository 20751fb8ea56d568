"""What the growth archive needs to know of a salon: the day it was held, who was in it, and
the periods a change to it moves (the programme metrics job's argument)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, timedelta, timezone

from sqlmodel import Session, col, select

from domain.errors import InvalidArgument
from domain.jobs import PROGRAMME_METRICS, create_job
from domain.models import Employee, Job, Salon, SalonAttendee, SalonStatus
from domain.salons.content import SalonContent
from domain.salons.store import visible_salons

HELD = (SalonStatus.HELD.value, SalonStatus.CLOSED.value)


def salon_date(salon: Salon) -> date:
    """The day a salon took place: its scheduled day where it was scheduled (in the UTC offset the
    time was given in — a salon at 07:00 in Shanghai on 1 July is a 1 July salon, not 30 June's),
    or the first of its month when it was held without a schedule. Every cycle and programme
    period is whole months, so only the month decides anything when there is no schedule."""
    if salon.scheduled_at is not None:
        at = salon.scheduled_at if salon.scheduled_at.tzinfo else salon.scheduled_at.replace(tzinfo=UTC)
        offset = salon.scheduled_offset_minutes
        return at.astimezone(UTC if offset is None else timezone(timedelta(minutes=offset))).date()
    year, month = salon.month.split("-")
    return date(int(year), int(month), 1)


def salon_months(salon: Salon) -> set[str]:
    """The months a change to the salon's records moves: its own (ratings, attendance) and its
    day's (the growth records), which differ for a salon held outside its planned month."""
    return {salon.month, salon_date(salon).strftime("%Y-%m")}


def held_salon(session: Session, salon_id: int, department_ids: Collection[int] | None, action: str) -> Salon:
    """The held (or closed) salon ``salon_id`` that one of ``department_ids`` attends (any
    salon when None), or the error saying why not."""
    found = visible_salons(session, department_ids=department_ids, salon_ids=[salon_id], hosted=False)
    if not found:
        whose = "" if department_ids is None else " that your departments attend"
        raise InvalidArgument(f"no salon {salon_id}{whose}", field="salon_id")
    salon = found[0]
    if salon.status not in HELD:
        raise InvalidArgument(
            f"salon {salon_id} is {salon.status}: {action} once it has been held", field="salon_id"
        )
    return salon


def attendee_ids(session: Session, salon_id: int) -> set[int]:
    """The employee rows the salon's outcome records as attending."""
    return set(session.exec(select(SalonAttendee.employee_id).where(SalonAttendee.salon_id == salon_id)))


def salon_people(session: Session, salon: Salon) -> set[int]:
    """The salon's people: those who attended, and those it named as presenters or participants."""
    content = SalonContent.from_json(salon.content)
    named = {*content.presenters, *content.participants}
    rows = (
        session.exec(select(Employee.id).where(col(Employee.employee_id).in_(sorted(named)))) if named else []
    )
    return attendee_ids(session, salon.id) | set(rows)


def invited_count(stored_content: dict) -> int:
    """How many people a salon invited (``Salon.content``): its presenters and participants, each once."""
    content = SalonContent.from_json(stored_content)
    return len({*content.presenters, *content.participants})


def programme_job(session: Session, months: Collection[str]) -> Job:
    """The programme metrics job for ``months`` (``YYYY-MM``), in the caller's transaction: it
    commits with the change that needs it and is sent after the commit (``domain.jobs``)."""
    return create_job(session, PROGRAMME_METRICS, {"periods": sorted(set(months))})
