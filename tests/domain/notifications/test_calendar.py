"""Salons as iCalendar events, read back with ``icalendar``: UID, SEQUENCE, TZID and the times
in the department's zone, the method, and only the recipient as attendee."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from domain.notifications.calendar import CANCEL, PUBLISH, REQUEST, SalonEvent, ics, new_uid

EVENT = SalonEvent(
    uid="salon-7-abc@example.com",
    sequence=2,
    starts_at=datetime(2027, 3, 29, 12, 0, tzinfo=UTC),  # Monday after the change: 14:00 CEST
    ends_at=datetime(2027, 3, 29, 13, 15, tzinfo=UTC),
    timezone="Europe/Berlin",
    summary="Defect rate review",
    description="Data review (30 min)\nGroup work (45 min)",
)


def parsed(text: str):
    calendar = Calendar.from_ical(text)
    (event,) = calendar.events
    return calendar, event


def test_an_invitation_is_a_request_in_the_departments_zone_to_its_recipient_only():
    calendar, event = parsed(
        ics(EVENT, REQUEST, organizer="salon@example.com", attendee=("b1@example.com", "Ben"))
    )

    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == "salon-7-abc@example.com" and event["SEQUENCE"] == 2
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.start == datetime(2027, 3, 29, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert event.end == datetime(2027, 3, 29, 15, 15, tzinfo=ZoneInfo("Europe/Berlin"))
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["ORGANIZER"]) == "mailto:salon@example.com"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:b1@example.com"
    assert (attendee.params["CN"], attendee.params["PARTSTAT"], attendee.params["RSVP"]) == (
        "Ben",
        "NEEDS-ACTION",
        "TRUE",
    )
    assert event["STATUS"] == "CONFIRMED" and str(event["SUMMARY"]) == "Defect rate review"
    assert str(event["DESCRIPTION"]) == "Data review (30 min)\nGroup work (45 min)"


def test_a_cancellation_keeps_the_uid_and_says_cancelled():
    calendar, event = parsed(
        ics(EVENT, CANCEL, organizer="salon@example.com", attendee=("b1@example.com", "Ben"))
    )

    assert calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]) == EVENT.uid and event["STATUS"] == "CANCELLED"
    assert "PARTSTAT" not in event["ATTENDEE"].params  # nothing to answer


def test_the_published_file_names_nobody():
    calendar, event = parsed(
        ics(EVENT, PUBLISH, organizer="salon@example.com", attendee=("b1@example.com", "Ben"))
    )

    assert calendar["METHOD"] == "PUBLISH"
    assert "ATTENDEE" not in event and "ORGANIZER" not in event


def test_a_uid_is_under_the_senders_domain_and_unique():
    first, second = new_uid(7, "salon@corp.example"), new_uid(7, "salon@corp.example")

    assert first.startswith("salon-7-") and first.endswith("@corp.example")
    assert first != second
    assert new_uid(7, None).endswith("@ehr-salon.invalid")
