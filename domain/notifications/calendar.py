"""Salons as iCalendar events (RFC 5545, with the iTIP methods of RFC 5546), by ``icalendar``.

One event per salon: its UID never changes, and every version sent raises its SEQUENCE, so a
calendar replaces the copy it holds instead of adding a second. Times carry the department's
TZID with its VTIMEZONE, so the event stays at 14:00 local across a daylight-saving change
wherever the reader's calendar lives.

- ``REQUEST``: an invitation, or its update; the recipient is the one ATTENDEE (nobody else's
  address is disclosed), asked to answer;
- ``CANCEL``: the salon is cancelled, or this person is no longer invited;
- ``PUBLISH``: the event as a file (``Salon.calendarUrl``), with no attendees at all.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

PRODID = "-//EHR Salon//Salon invitations//EN"
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


@dataclass(frozen=True)
class SalonEvent:
    uid: str
    sequence: int
    starts_at: datetime  # aware
    ends_at: datetime
    timezone: str  # IANA: DTSTART and DTEND are written in it
    summary: str
    description: str
    cancelled: bool = False


def new_uid(salon_id: int, sender: str | None) -> str:
    """A salon's UID: unique across deployments (a random part), under the sender's domain."""
    domain = sender.rpartition("@")[2] if sender else "ehr-salon.invalid"
    return f"salon-{salon_id}-{secrets.token_hex(6)}@{domain}"


def _address(email: str, name: str | None = None, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    address.params.update(params)
    return address


def ics(
    event: SalonEvent,
    method: str,
    *,
    organizer: str | None = None,
    attendee: tuple[str, str] | None = None,
    stamp: datetime | None = None,
) -> str:
    """The event as an iCalendar object for ``method``; ``attendee`` is (e-mail, name)."""
    zone = ZoneInfo(event.timezone)
    cancelled = method == CANCEL or event.cancelled
    item = Event()
    item.add("uid", event.uid)
    item.add("sequence", event.sequence)
    item.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    item.add("dtstart", event.starts_at.astimezone(zone))
    item.add("dtend", event.ends_at.astimezone(zone))
    item.add("summary", event.summary)
    if event.description:
        item.add("description", event.description)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if method != PUBLISH:
        if organizer:
            item.add("organizer", _address(organizer, "EHR Salon"))
        if attendee is not None:
            email, name = attendee
            params = {"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}
            item.add("attendee", _address(email, name, **({} if cancelled else params)))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
