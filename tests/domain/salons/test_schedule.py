"""Scheduling a salon: never in the past, a warning outside its month, and the time answered in
the offset it was given in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlmodel import Session

from domain.models import Department, Salon
from domain.salons import store
from domain.salons.timing import local_time, schedule_warnings

NOW = datetime(2026, 12, 6, 14, 0, tzinfo=UTC)
BEIJING = timezone(timedelta(hours=8))
NEW_YORK_WINTER = timezone(timedelta(hours=-5))


@pytest.fixture
def salon_id(engine) -> int:
    with Session(engine) as session:
        department = Department(code="PROD", name="生产部")
        session.add(department)
        session.flush()
        salon = Salon(
            month="2027-01", department_id=department.id, format_key="x", fit=1, data_period="2026-Q4"
        )
        session.add(salon)
        session.commit()
        return salon.id


def _schedule(engine, salon_id: int, at: datetime) -> Salon:
    with Session(engine, expire_on_commit=False) as session:
        store.schedule(session, salon_id, at, now=NOW)
        session.commit()
    with Session(engine) as session:  # as stored
        return session.get(Salon, salon_id)


def test_a_time_in_the_past_is_refused_with_the_reason(engine, salon_id):
    with Session(engine) as session, pytest.raises(store.SalonError) as refused:
        store.schedule(session, salon_id, NOW - timedelta(minutes=1), now=NOW)

    assert refused.value.field == "at"
    assert "is in the past" in str(refused.value)
    with Session(engine) as session:
        assert session.get(Salon, salon_id).scheduled_at is None


def test_the_time_is_kept_in_the_offset_it_was_given_in(engine, salon_id):
    given = datetime(2027, 1, 15, 14, 0, tzinfo=BEIJING)

    salon = _schedule(engine, salon_id, given)

    assert salon.scheduled_at == datetime(2027, 1, 15, 6, 0, tzinfo=UTC)  # stored in UTC
    shown = local_time(salon)
    assert shown.isoformat() == "2027-01-15T14:00:00+08:00"
    assert schedule_warnings(salon) == []


@pytest.mark.parametrize(
    ("given", "warned"),
    [
        (datetime(2027, 2, 1, 0, 30, tzinfo=BEIJING), True),  # February where it was given (UTC: January)
        (datetime(2027, 1, 31, 23, 30, tzinfo=NEW_YORK_WINTER), False),  # January there (UTC: February)
        (datetime(2026, 12, 20, 9, 0, tzinfo=BEIJING), True),  # the month before
        (datetime(2027, 1, 1, 0, 0, tzinfo=BEIJING), False),
    ],
)
def test_a_time_outside_the_salons_month_is_warned_about_in_the_given_offset(engine, salon_id, given, warned):
    salon = _schedule(engine, salon_id, given)

    warnings = schedule_warnings(salon)

    assert salon.status == "SCHEDULED"
    if warned:
        assert warnings == [f"scheduled on {given.date().isoformat()}, outside the salon's month 2027-01"]
    else:
        assert warnings == []


def test_a_salon_stored_without_an_offset_is_answered_in_utc(engine, salon_id):
    with Session(engine) as session:
        salon = session.get(Salon, salon_id)
        salon.scheduled_at = datetime(2027, 1, 15, 6, 0, tzinfo=UTC)
        assert local_time(salon).isoformat() == "2027-01-15T06:00:00+00:00"
        salon.scheduled_at = None
        assert local_time(salon) is None and schedule_warnings(salon) == []


def test_more_than_two_years_ahead_is_still_refused(engine, salon_id):
    with Session(engine) as session, pytest.raises(store.SalonError, match="within 730 days"):
        store.schedule(session, salon_id, NOW + timedelta(days=731), now=NOW)
