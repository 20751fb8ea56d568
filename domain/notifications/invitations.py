"""What a salon's schedule means for the people in it: invitations, updates, cancellations.

:func:`sync` compares the salon as it is with what was last sent (``SalonCalendar``,
``SalonInvitation``) and sends only the difference, so it may run any number of times: after
every change (``domain.salons.store`` queues a ``sync_invitations`` job in the change's
transaction) and again on a retry, without a second message. Under the salon's row lock, so two
runs take turns.

- scheduled for the first time: everyone invited gets an invitation — its participants, its
  presenters (told they present, and on what; an exchange's presenters are its host's people)
  and its working groups' members;
- a new time (or length): everyone still invited gets the update, and is asked to answer again;
- people added or taken off, or made presenters: only they hear about it;
- cancelled: everyone invited gets the cancellation, with the reason people gave.

Every change raises the event's SEQUENCE, so each calendar replaces the copy it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from domain.models import NotificationKind as Kind
from domain.models import Salon, SalonCalendar, SalonInvitation, SalonStatus
from domain.notifications import Defaults
from domain.notifications.calendar import CANCEL, REQUEST, SalonEvent, ics, new_uid
from domain.notifications.drafts import Draft, moment
from domain.notifications.messages import say
from domain.notifications.outbox import Created, Person, add, people, people_by_code
from domain.notifications.zones import zone_of
from domain.salons.content import SalonContent, StoredTopic
from plugins.channels import NotificationChannel

DEFAULT_MINUTES = 60  # a salon whose agenda says nothing of its length


def calendar_path(salon_id: int) -> str:
    """Where the app serves the salon's event as a file (``Salon.calendarUrl``)."""
    return f"/salons/{salon_id}.ics"


def duration(content: SalonContent, locale: str) -> timedelta:
    minutes = sum(entry.minutes for entry in content.texts_in(locale).agenda)
    return timedelta(minutes=minutes if minutes > 0 else DEFAULT_MINUTES)


def invited(content: SalonContent) -> dict[str, bool]:
    """Everyone the salon names, by employee id: True for a presenter."""
    found = dict.fromkeys(content.presenters, True)
    for employee_id in [*content.participants, *(m for group in content.groups for m in group)]:
        found.setdefault(employee_id, False)
    return found


def event_of(calendar: SalonCalendar, content: SalonContent, locale: str) -> SalonEvent:
    texts = content.texts_in(locale)
    agenda = "\n".join(
        say("invitation.agenda.item", locale, title=e.title, count=e.minutes) for e in texts.agenda
    )
    return SalonEvent(
        uid=calendar.uid,
        sequence=calendar.sequence,
        starts_at=calendar.starts_at,
        ends_at=calendar.ends_at,
        timezone=calendar.timezone,
        summary=texts.title,
        description=agenda,
        cancelled=calendar.cancelled,
    )


class _Letters:
    """The drafts of one run of :func:`sync`, for one salon and one version of its event."""

    def __init__(self, salon: Salon, calendar: SalonCalendar, defaults: Defaults, now: datetime) -> None:
        self.salon, self.calendar, self.defaults, self.now = salon, calendar, defaults, now
        self.content = SalonContent.from_json(salon.content)
        self.topic = StoredTopic.from_json(salon.topic)
        self.zone = ZoneInfo(calendar.timezone)

    def draft(self, person: Person, kind: Kind, wording: str, *, presenter: bool = False, at=None) -> Draft:
        """``wording``: invitation, invitation_update, invitation_cancelled or invitation_removed;
        ``at``: the time the message speaks of (the one last sent, for a cancellation)."""
        locale = person.locale
        texts = self.content.texts_in(locale)
        when = moment(at or self.calendar.starts_at, self.zone, locale)
        paragraphs = [say(f"{wording}.body", locale, title=texts.title, when=when)]
        cancelling = kind is Kind.INVITATION_CANCELLED
        if not cancelling:
            topic = self.topic.title_in(locale)
            paragraphs.append(say("invitation.topic", locale, topic=topic))
            if presenter:
                paragraphs.append(say("invitation.presenter", locale, topic=topic))
            if texts.agenda:
                items = (
                    say("invitation.agenda.item", locale, title=e.title, count=e.minutes)
                    for e in texts.agenda
                )
                paragraphs.append("\n".join([say("invitation.agenda", locale), *items]))
            paragraphs.append(say("invitation.reply", locale))
        elif wording == "invitation_cancelled" and self.salon.cancel_reason:
            paragraphs.append(say("invitation_cancelled.reason", locale, reason=self.salon.cancel_reason))
        event = event_of(self.calendar, self.content, locale)
        if at is not None:  # a cancellation speaks of the event as it was
            event = replace(
                event, starts_at=at, ends_at=at + (self.calendar.ends_at - self.calendar.starts_at)
            )
        calendar = ics(
            event,
            CANCEL if cancelling else REQUEST,
            organizer=self.defaults.sender,
            attendee=(person.email, person.name) if person.email else None,
            stamp=self.now,
        )
        return Draft(
            key=f"salon:{self.salon.id}:v{self.calendar.sequence}:{wording}",
            kind=kind,
            employee_id=person.row_id,
            locale=locale,
            subject=say(f"{wording}.subject", locale, title=texts.title),
            paragraphs=tuple(paragraphs),
            salon_id=self.salon.id,
            link=calendar_path(self.salon.id),
            calendar=calendar,
        )


def sync(
    session: Session,
    salon_id: int,
    defaults: Defaults,
    channels: Mapping[str, NotificationChannel],
    now: datetime,
) -> Created:
    """Send what changed for ``salon_id``'s people since the last run (see the module)."""
    salon = session.get(Salon, salon_id, with_for_update=True)
    none = Created([], [])
    if salon is None:
        return none
    calendar = session.get(SalonCalendar, salon_id)
    invitations = {
        row.employee_id: row
        for row in session.exec(select(SalonInvitation).where(col(SalonInvitation.salon_id) == salon_id))
    }
    active = {employee: row for employee, row in invitations.items() if row.active}
    if salon.status == SalonStatus.SCHEDULED and salon.scheduled_at is not None:
        return _scheduled(session, salon, calendar, invitations, active, defaults, channels, now)
    if salon.status == SalonStatus.CANCELLED and calendar is not None and not calendar.cancelled:
        return _cancelled(session, salon, calendar, active, defaults, channels, now)
    return none


def _scheduled(session, salon, calendar, invitations, active, defaults, channels, now) -> Created:
    content = SalonContent.from_json(salon.content)
    named = people_by_code(session, invited(content).keys(), defaults.locale)
    wanted = {named[code].row_id: presenter for code, presenter in invited(content).items() if code in named}
    zone = zone_of(session, salon.department_id, defaults.timezone).key
    start = salon.scheduled_at
    end = start + duration(content, defaults.locale)
    added = [e for e in wanted if e not in active]
    removed = [e for e in active if e not in wanted]
    promoted = [e for e in wanted if e in active and active[e].presenter != wanted[e]]
    previous = calendar.starts_at if calendar is not None else None
    if calendar is None:
        calendar = SalonCalendar(
            salon_id=salon.id,
            uid=new_uid(salon.id, defaults.sender),
            starts_at=start,
            ends_at=end,
            timezone=zone,
        )
        moved = False
    else:
        moved = (calendar.starts_at, calendar.ends_at, calendar.timezone, calendar.cancelled) != (
            start,
            end,
            zone,
            False,
        )
        if not (moved or added or removed or promoted):
            return Created([], [])
        calendar.sequence += 1
        calendar.starts_at, calendar.ends_at, calendar.timezone, calendar.cancelled = start, end, zone, False
    calendar.updated_at = now
    session.add(calendar)
    recipients = people(session, [*wanted, *removed], defaults.locale)
    letters = _Letters(salon, calendar, defaults, now)
    drafts = []
    for employee, presenter in wanted.items():
        person = recipients.get(employee)
        if person is None:
            continue
        if employee in added:
            drafts.append(letters.draft(person, Kind.INVITATION, "invitation", presenter=presenter))
        elif moved or employee in promoted:
            drafts.append(
                letters.draft(person, Kind.INVITATION_UPDATE, "invitation_update", presenter=presenter)
            )
    for employee in removed:
        if (person := recipients.get(employee)) is not None:
            drafts.append(letters.draft(person, Kind.INVITATION_CANCELLED, "invitation_removed", at=previous))
    _record(session, salon.id, invitations, wanted, removed, moved, now)
    return add(session, drafts, recipients, channels, now)


def _record(session, salon_id, invitations, wanted, removed, moved, now) -> None:
    """Who is invited now; a new time asks everyone to answer again."""
    for employee, presenter in wanted.items():
        row = invitations.get(employee)
        if row is None:
            row = SalonInvitation(salon_id=salon_id, employee_id=employee, invited_at=now)
        if not row.active or moved:
            row.response = row.note = row.responded_at = None
        if not row.active:
            row.invited_at = now
        row.active, row.presenter = True, presenter
        session.add(row)
    for employee in removed:
        row = invitations[employee]
        row.active = False
        session.add(row)


def _cancelled(session, salon, calendar, active, defaults, channels, now) -> Created:
    calendar.sequence += 1
    calendar.cancelled = True
    calendar.updated_at = now
    session.add(calendar)
    recipients = people(session, active.keys(), defaults.locale)
    letters = _Letters(salon, calendar, defaults, now)
    drafts = [
        letters.draft(person, Kind.INVITATION_CANCELLED, "invitation_cancelled")
        for employee in active
        if (person := recipients.get(employee)) is not None
    ]
    for row in active.values():
        row.active = False
        session.add(row)
    return add(session, drafts, recipients, channels, now)
