"""A salon after it took place: what it concluded (HELD) and its closing (CLOSED).

PROPOSED → SCHEDULED → HELD → CLOSED, or CANCELLED before it is held. Recording the outcome
is what makes a salon HELD; recording it again while HELD replaces it whole (people correct
what they wrote), and a CLOSED salon's outcome is final. The adopted practices become
``Practice`` rows — the library later salons cite — on the metric of the salon's topic.

Like scheduling, these changes take the departments the caller speaks for and find only the
salons one of them attends (``store.attended_salon``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, delete, select

from domain.models import (
    Metric,
    Practice,
    Salon,
    SalonAttendee,
    SalonDepartment,
    SalonOutcome,
    SalonStatus,
    utcnow,
)
from domain.organisation import DepartmentTree, people_in
from domain.periods import Period
from domain.salons.content import StoredTopic
from domain.salons.store import SalonConflict, SalonError, attended_salon

TEXT_LIMIT = 2000  # characters of one conclusion, practice, question or title
NOTES_LIMIT = 10_000
ITEM_LIMIT = 100  # entries of one list: conclusions, practices, questions, agenda items
ATTENDEE_LIMIT = 2000
RECORDABLE = {SalonStatus.PROPOSED.value, SalonStatus.SCHEDULED.value, SalonStatus.HELD.value}


@dataclass(frozen=True)
class OutcomeRecord:
    """What people say a salon concluded, as they typed it (checked by :func:`record_outcome`)."""

    conclusions: Sequence[str]
    attendee_ids: Sequence[str]
    adopted_practices: Sequence[str] = ()
    notes: str | None = None


def clean_texts(
    values: Sequence[str],
    field: str,
    *,
    limit: int = TEXT_LIMIT,
    most: int = ITEM_LIMIT,
    required: bool = False,
) -> tuple[str, ...]:
    """``values`` stripped, repeats dropped; a blank or overlong one is refused by its place."""
    if len(values) > most:
        raise SalonError(f"at most {most} entries, got {len(values)}", field=field)
    cleaned = []
    for index, value in enumerate(values):
        text = value.strip()
        if not text:
            raise SalonError(f"entry {index + 1} is empty", field=field)
        if len(text) > limit:
            raise SalonError(f"entry {index + 1} is longer than {limit} characters", field=field)
        cleaned.append(text)
    if required and not cleaned:
        raise SalonError("must not be empty", field=field)
    return tuple(dict.fromkeys(cleaned))


def clean_note(value: str | None, field: str, limit: int = NOTES_LIMIT) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise SalonError(f"at most {limit} characters", field=field)
    return text or None


def salon_people_departments(session: Session, salon: Salon) -> frozenset[int]:
    """Where a salon's people come from: its attending departments and its host, subtrees
    included. Attendees, presenters and participants must all work there."""
    attending = session.exec(
        select(SalonDepartment.department_id).where(SalonDepartment.salon_id == salon.id)
    )
    roots = {*attending, salon.department_id}
    if salon.host_department_id is not None:
        roots.add(salon.host_department_id)
    return DepartmentTree.read(session).below(roots)


def check_held(salon: Salon, now: datetime) -> None:
    """A salon can only have been held from its month on, and not before its scheduled time."""
    this_month = Period(now.year, month=now.month)
    if Period.parse(salon.month) > this_month:
        raise SalonConflict(
            f"salon {salon.id} is for {salon.month}: it cannot have been held yet", field="salon_id"
        )
    if salon.scheduled_at is not None and salon.scheduled_at > now:
        raise SalonConflict(
            f"salon {salon.id} is scheduled for {salon.scheduled_at.isoformat()}: it has not been held yet",
            field="salon_id",
        )


def topic_metric_id(session: Session, salon: Salon) -> int | None:
    code = StoredTopic.from_json(salon.topic).metric_code
    if code is None:
        return None
    return session.exec(select(Metric.id).where(Metric.code == code)).first()


def record_outcome(
    session: Session,
    salon_id: int,
    outcome: OutcomeRecord,
    recorded_by: str,
    department_ids: Collection[int] | None = None,
    *,
    now: datetime | None = None,
) -> Salon:
    """PROPOSED or SCHEDULED → HELD with its outcome, or a HELD salon's outcome replaced."""
    conclusions = clean_texts(outcome.conclusions, "conclusions", required=True)
    practices = clean_texts(outcome.adopted_practices, "adopted_practices")
    attendee_ids = clean_texts(outcome.attendee_ids, "attendee_ids", most=ATTENDEE_LIMIT, required=True)
    notes = clean_note(outcome.notes, "notes")
    now = now or utcnow()
    salon = attended_salon(session, salon_id, department_ids)
    if salon.status == SalonStatus.CANCELLED.value:
        raise SalonConflict(
            f"salon {salon_id} was cancelled: a cancelled salon has no outcome", field="salon_id"
        )
    if salon.status not in RECORDABLE:
        raise SalonConflict(f"salon {salon_id} is closed: its outcome is final", field="salon_id")
    check_held(salon, now)
    attendees = people_in(
        session,
        attendee_ids,
        salon_people_departments(session, salon),
        field="attendee_ids",
        whose="the salon's departments and its host",
    )
    for table in (SalonAttendee, Practice, SalonOutcome):
        session.exec(delete(table).where(col(table.salon_id) == salon.id))
    session.add(
        SalonOutcome(
            salon_id=salon.id,
            conclusions=list(conclusions),
            adopted_practices=list(practices),
            notes=notes,
            recorded_by=recorded_by,
            recorded_at=now,
        )
    )
    session.add_all(SalonAttendee(salon_id=salon.id, employee_id=person.id) for person in attendees.values())
    metric_id = topic_metric_id(session, salon)
    session.add_all(
        Practice(
            salon_id=salon.id,
            position=position,
            department_id=salon.department_id,
            metric_id=metric_id,
            text=text,
        )
        for position, text in enumerate(practices)
    )
    salon.status = SalonStatus.HELD.value
    salon.updated_at = now
    session.add(salon)
    session.flush()
    return salon


def close(session: Session, salon_id: int, department_ids: Collection[int] | None = None) -> Salon:
    """HELD → CLOSED: its outcome is recorded and its follow-up is in plans; nothing more to add."""
    salon = attended_salon(session, salon_id, department_ids)
    if salon.status != SalonStatus.HELD.value:
        why = {
            SalonStatus.CLOSED.value: "is closed already",
            SalonStatus.CANCELLED.value: "was cancelled",
        }.get(salon.status, f"is {salon.status}: record what it concluded first")
        raise SalonConflict(f"salon {salon_id} {why}", field="salon_id")
    if session.get(SalonOutcome, salon.id) is None:
        raise SalonConflict(
            f"salon {salon_id} has no outcome: record what it concluded first",
            field="salon_id",
        )
    salon.status = SalonStatus.CLOSED.value
    salon.updated_at = utcnow()
    session.add(salon)
    return salon
