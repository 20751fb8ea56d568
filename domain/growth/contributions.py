"""Salon contributions: growth records dated at the salon, linked to it, with their points.

Recording attendance (a salon's outcome) gives each attendee an ATTENDEE record; HR and the
managers of the departments a salon is for record the rest — SHARER, EXCELLENT_SHARER,
PROBLEM_SOLVER — for the salon's people (who attended, or whom it named as presenter or
participant). A person has each kind at most once per salon, and EXCELLENT_SHARER is the
recognition of a SHARER: recording it replaces their SHARER record, and a SHARER next to an
EXCELLENT_SHARER is refused, so a sharing is never counted twice.

Every change commits the programme metrics job of the salon's month with it (the growth-archive
update rate and the bonus move); the caller sends the job after the commit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from domain.errors import InvalidArgument
from domain.growth.points import Scorer
from domain.growth.salons import (
    attendee_ids,
    held_salon,
    programme_job,
    salon_date,
    salon_months,
    salon_people,
)
from domain.models import (
    ContributionKind,
    Department,
    Employee,
    GrowthKind,
    GrowthRecord,
    Job,
    Salon,
)
from plugins.contributions import Contribution

NOTE_LIMIT = 2000


@dataclass(frozen=True)
class Recorded:
    record: GrowthRecord
    job: Job  # the programme metrics job, committed with the record: send it after the commit


def _facts(session: Session, salon: Salon, person: Employee, kind: ContributionKind) -> Contribution:
    department = session.get(Department, person.department_id)
    return Contribution(
        kind=kind.value,
        employee_id=person.employee_id,
        department_code=department.code if department else "",
        salon_id=salon.id,
        salon_month=salon.month,
        format_key=salon.format_key,
        date=salon_date(salon),
    )


def _existing(session: Session, salon_id: int, employee_row: int) -> dict[str, GrowthRecord]:
    statement = select(GrowthRecord).where(
        GrowthRecord.salon_id == salon_id,
        GrowthRecord.employee_id == employee_row,
        col(GrowthRecord.contribution).is_not(None),
    )
    return {record.contribution: record for record in session.exec(statement)}


def _note(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > NOTE_LIMIT:
        raise InvalidArgument(f"at most {NOTE_LIMIT} characters", field="note")
    return text or None


def record_contribution(
    session: Session,
    *,
    salon_id: int,
    employee_id: str,
    kind: ContributionKind,
    scorer: Scorer,
    note: str | None = None,
    department_ids: Collection[int] | None = None,
) -> Recorded:
    """Record (or record again: the note and points are renewed) one person's contribution to a
    held salon that one of ``department_ids`` attends (any when None)."""
    kind = ContributionKind(kind)
    note = _note(note)
    salon = held_salon(session, salon_id, department_ids, "contributions are recorded")
    person = session.exec(select(Employee).where(Employee.employee_id == employee_id)).first()
    if person is None:
        raise InvalidArgument(f"unknown employee {employee_id!r}", field="employee_id")
    if kind is ContributionKind.ATTENDEE:
        if person.id not in attendee_ids(session, salon.id):
            raise InvalidArgument(
                f"{employee_id} is not among salon {salon_id}'s attendees: attendance comes from its outcome",
                field="employee_id",
            )
    elif person.id not in salon_people(session, salon):
        raise InvalidArgument(
            f"{employee_id} is not one of salon {salon_id}'s people (attendees, presenters, participants)",
            field="employee_id",
        )
    existing = _existing(session, salon.id, person.id)
    if kind is ContributionKind.SHARER and ContributionKind.EXCELLENT_SHARER.value in existing:
        raise InvalidArgument(
            f"{employee_id} is already an excellent sharer of salon {salon_id} (which includes sharing)",
            field="kind",
        )
    if kind is ContributionKind.EXCELLENT_SHARER and (sharer := existing.get(ContributionKind.SHARER.value)):
        session.delete(sharer)
    points = scorer.points(_facts(session, salon, person, kind))
    months = salon_months(salon) | {r.date.strftime("%Y-%m") for r in existing.values()}
    record = existing.get(kind.value) or GrowthRecord(
        employee_id=person.id,
        date=salon_date(salon),
        kind=GrowthKind.SALON_CONTRIBUTION.value,
        contribution=kind.value,
        salon_id=salon.id,
    )
    record.points, record.note, record.date = points, note, salon_date(salon)
    session.add(record)
    session.flush()
    return Recorded(record, programme_job(session, months))


def record_attendance_contributions(session: Session, salon_id: int, scorer: Scorer) -> Job:
    """Make the salon's ATTENDEE records match its recorded attendees (``SalonAttendee``), in the
    caller's transaction — call it after writing an outcome: new attendees get one, people no
    longer listed lose theirs (their other contributions stay: HR recorded those). Returns the
    programme metrics job, to send after the commit."""
    salon = session.get(Salon, salon_id)
    if salon is None:
        raise InvalidArgument(f"no salon {salon_id}", field="salon_id")
    attending = attendee_ids(session, salon.id)
    kind = ContributionKind.ATTENDEE.value
    recorded = set(
        session.exec(
            select(GrowthRecord.employee_id).where(
                GrowthRecord.salon_id == salon.id, GrowthRecord.contribution == kind
            )
        )
    )
    gone = recorded - attending
    if gone:
        session.exec(
            delete(GrowthRecord).where(
                col(GrowthRecord.salon_id) == salon.id,
                col(GrowthRecord.contribution) == kind,
                col(GrowthRecord.employee_id).in_(sorted(gone)),
            )
        )
    new = sorted(attending - recorded)
    people = session.exec(select(Employee).where(col(Employee.id).in_(new))).all() if new else []
    day = salon_date(salon)
    for person in people:
        points = scorer.points(_facts(session, salon, person, ContributionKind.ATTENDEE))
        session.add(
            GrowthRecord(
                employee_id=person.id,
                date=day,
                kind=GrowthKind.SALON_CONTRIBUTION.value,
                contribution=kind,
                salon_id=salon.id,
                points=points,
            )
        )
    session.flush()
    return programme_job(session, salon_months(salon))
