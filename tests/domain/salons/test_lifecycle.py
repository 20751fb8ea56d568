"""A salon after it took place: its outcome makes it HELD, closing it needs one, and every other
move is refused with the reason — writing nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.models import Employee, Practice, SalonAttendee, SalonOutcome, SalonStatus
from domain.salons.lifecycle import OutcomeRecord, close, record_outcome
from tests.support import follow_up
from tests.support.follow_up import add_salon

OUTCOME = OutcomeRecord(
    conclusions=["  Night shift skips the checklist  ", "Gauges drift"],
    attendee_ids=["P2", "A1"],
    adopted_practices=["Checklist at every shift change", "Calibrate gauges weekly"],
    notes="  ",
)


@pytest.fixture
def ids(engine):
    return follow_up.build(engine)


def record(engine, salon_id, outcome=OUTCOME, department_ids=None, now=None):
    with session_scope(engine) as session:
        return record_outcome(session, salon_id, outcome, "P1", department_ids, now=now).status


def stored(engine, salon_id):
    with Session(engine) as session:
        outcome = session.get(SalonOutcome, salon_id)
        attendees = session.exec(
            select(Employee.employee_id)
            .join(SalonAttendee, col(SalonAttendee.employee_id) == col(Employee.id))
            .where(SalonAttendee.salon_id == salon_id)
            .order_by(col(Employee.employee_id))
        ).all()
        practices = session.exec(
            select(Practice).where(Practice.salon_id == salon_id).order_by(col(Practice.position))
        ).all()
        return outcome, list(attendees), practices


def test_an_outcome_makes_a_salon_held_with_its_attendees_and_practices(engine, ids):
    salon_id = add_salon(
        engine, status=SalonStatus.SCHEDULED, scheduled_at=datetime(2026, 11, 20, tzinfo=UTC)
    )

    status = record(engine, salon_id)

    assert status == "HELD" and follow_up.salon(engine, salon_id).status == "HELD"
    outcome, attendees, practices = stored(engine, salon_id)
    assert outcome.conclusions == ["Night shift skips the checklist", "Gauges drift"]
    assert outcome.adopted_practices == ["Checklist at every shift change", "Calibrate gauges weekly"]
    assert outcome.notes is None and outcome.recorded_by == "P1"
    assert attendees == ["A1", "P2"]  # A1 works in PROD-A, below PROD
    assert [(p.position, p.text) for p in practices] == [
        (0, "Checklist at every shift change"),
        (1, "Calibrate gauges weekly"),
    ]
    assert {(p.department_id, p.metric_id) for p in practices} == {(ids["PROD"], ids["defect_rate"])}


def test_recording_a_held_salons_outcome_again_replaces_it_whole(engine, ids):
    salon_id = add_salon(engine)
    record(engine, salon_id)

    record(engine, salon_id, OutcomeRecord(conclusions=["One thing"], attendee_ids=["P1"], notes="short"))

    outcome, attendees, practices = stored(engine, salon_id)
    assert outcome.conclusions == ["One thing"] and outcome.adopted_practices == []
    assert outcome.notes == "short" and attendees == ["P1"] and practices == []


def test_a_hosts_people_may_attend_an_exchange(engine, ids):
    salon_id = add_salon(engine, host="CS")

    record(engine, salon_id, OutcomeRecord(conclusions=["Shared"], attendee_ids=["C1", "P2"]))

    assert stored(engine, salon_id)[1] == ["C1", "P2"]


@pytest.mark.parametrize(
    ("state", "outcome", "refusal"),
    [
        (
            {"status": SalonStatus.CANCELLED},
            OUTCOME,
            "salon_id: salon {id} was cancelled: a cancelled salon has no outcome",
        ),
        ({"status": SalonStatus.CLOSED}, OUTCOME, "salon_id: salon {id} is closed: its outcome is final"),
        ({"month": "2099-01"}, OUTCOME, "salon_id: salon {id} is for 2099-01: it cannot have been held yet"),
        (
            {"scheduled_at": datetime(2099, 1, 5, 6, tzinfo=UTC), "status": SalonStatus.SCHEDULED},
            OUTCOME,
            "salon_id: salon {id} is scheduled for 2099-01-05T06:00:00+00:00: it has not been held yet",
        ),
        ({}, OutcomeRecord(conclusions=[], attendee_ids=["P2"]), "conclusions: must not be empty"),
        ({}, OutcomeRecord(conclusions=["ok", " "], attendee_ids=["P2"]), "conclusions: entry 2 is empty"),
        ({}, OutcomeRecord(conclusions=["ok"], attendee_ids=[]), "attendee_ids: must not be empty"),
        (
            {},
            OutcomeRecord(conclusions=["ok"], attendee_ids=["P2", "C1", "H1"]),
            "attendee_ids: outside the salon's departments and its host: 'C1', 'H1'",
        ),
        (
            {},
            OutcomeRecord(conclusions=["ok"], attendee_ids=["P2", "X9"]),
            "attendee_ids: no current employee: 'X9'",
        ),
        (
            {},
            OutcomeRecord(conclusions=["ok"], attendee_ids=["P2"], adopted_practices=["x" * 2001]),
            "adopted_practices: entry 1 is longer than 2000 characters",
        ),
    ],
)
def test_an_outcome_is_refused_with_its_reason_and_nothing_is_written(engine, ids, state, outcome, refusal):
    salon_id = add_salon(engine, **state)
    before = follow_up.salon(engine, salon_id).status

    with pytest.raises(InvalidArgument) as refused:
        record(engine, salon_id, outcome)

    assert str(refused.value) == refusal.format(id=salon_id)
    assert follow_up.salon(engine, salon_id).status == before
    assert stored(engine, salon_id) == (None, [], [])


def test_a_manager_records_only_for_a_salon_their_departments_attend(engine, ids):
    prod_salon, hosted = add_salon(engine), add_salon(engine, "PROD", "2026-10", host="CS")

    with pytest.raises(
        InvalidArgument, match=f"salon_id: no salon {prod_salon} that your departments attend"
    ):
        record(engine, prod_salon, department_ids={ids["CS"]})
    with pytest.raises(InvalidArgument, match=f"no salon {hosted} that your departments attend"):
        record(engine, hosted, department_ids={ids["CS"]})  # the host is a guest there
    assert record(engine, prod_salon, department_ids={ids["PROD"], ids["PROD-A"]}) == "HELD"


def test_closing_needs_a_held_salon_with_an_outcome(engine, ids):
    proposed, held_bare, cancelled = (
        add_salon(engine, month="2026-09"),
        add_salon(engine, month="2026-10", status=SalonStatus.HELD),  # HELD without an outcome row
        add_salon(engine, "CS", "2026-10", status=SalonStatus.CANCELLED, participants=("C1",)),
    )
    done = add_salon(engine, month="2026-11")
    record(engine, done)

    def closing(salon_id):
        with session_scope(engine) as session:
            return close(session, salon_id).status

    assert closing(done) == "CLOSED" and follow_up.salon(engine, done).status == "CLOSED"
    for salon_id, why in [
        (proposed, "is PROPOSED: record what it concluded first"),
        (held_bare, "has no outcome: record what it concluded first"),
        (cancelled, "was cancelled"),
        (done, "is closed already"),
    ]:
        with pytest.raises(InvalidArgument) as refused:
            closing(salon_id)
        assert str(refused.value) == f"salon_id: salon {salon_id} {why}"
    assert follow_up.salon(engine, held_bare).status == "HELD"
