"""Scheduling, rescheduling, changing the people of and cancelling a salon tells exactly the
people concerned, once, with an iCalendar event whose UID stays and whose SEQUENCE rises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.jobs import SYNC_INVITATIONS
from domain.models import (
    Job,
    Notification,
    NotificationDelivery,
    RsvpResponse,
    Salon,
    SalonCalendar,
    SalonInvitation,
)
from domain.notifications.invitations import sync
from domain.notifications.rsvp import answers, respond
from domain.salons import store
from domain.salons.content import SalonContent
from plugins.builtin.email import EmailChannel
from plugins.builtin.in_app import InAppChannel
from tests.domain.notifications.world import DEFAULTS

CHANNELS = {"email": EmailChannel("smtp://127.0.0.1:2525", "salon@example.com"), "in_app": InAppChannel()}
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
THURSDAY = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai
FRIDAY = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)  # 15:00 in Shanghai
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _sync(engine, salon_id):
    with session_scope(engine) as session:
        return sync(session, salon_id, DEFAULTS, CHANNELS, NOW)


def _schedule(engine, salon_id, at):
    """The salon SCHEDULED at ``at`` (a fixed date: the store's own rules about when are not what
    these tests are about), then the sync its change queues."""
    with session_scope(engine) as session:
        salon = session.get(Salon, salon_id)
        salon.status, salon.scheduled_at = "SCHEDULED", at
        session.add(salon)
    return _sync(engine, salon_id)


def test_scheduling_and_cancelling_queue_the_sync_with_the_change(engine, world):
    with session_scope(engine) as session:
        store.schedule(session, world.salon, datetime.now(UTC) + timedelta(days=30))
    with session_scope(engine) as session:
        store.cancel(session, world.salon, "换季")

    with Session(engine) as session:
        jobs = session.exec(select(Job.actor, Job.args).order_by(col(Job.created_at))).all()
    assert jobs == [(SYNC_INVITATIONS, {"salon_id": world.salon})] * 2


def _messages(engine, notification_ids) -> dict[str, tuple[str, str]]:
    """employee id -> (key, kind) of the given notifications."""
    from domain.models import Employee

    with Session(engine) as session:
        rows = session.exec(
            select(Employee.employee_id, Notification.key, Notification.kind)
            .join(Employee, col(Employee.id) == col(Notification.employee_id))
            .where(col(Notification.id).in_(notification_ids))
        ).all()
    return {employee: (key, kind) for employee, key, kind in rows}


def _notification(engine, salon_id, employee_row, key_part) -> Notification:
    with Session(engine) as session:
        return session.exec(
            select(Notification).where(
                col(Notification.employee_id) == employee_row, col(Notification.key).contains(key_part)
            )
        ).one()


def _event(notification: Notification):
    calendar = Calendar.from_ical(notification.calendar)
    (event,) = calendar.events
    return calendar, event


def test_scheduling_invites_presenters_and_participants_in_their_language(engine, world):
    created = _schedule(engine, world.salon, THURSDAY)

    salon = world.salon
    assert _messages(engine, created.notification_ids) == {
        "B1": (f"salon:{salon}:v0:invitation", "invitation"),
        "O1": (f"salon:{salon}:v0:invitation", "invitation"),
        "P1": (f"salon:{salon}:v0:invitation", "invitation"),
    }  # X1 was erased: nothing
    ben = _notification(engine, salon, world.people["B1"], "v0")
    assert ben.subject == "Invitation: Defect rate review"
    assert "You present at this salon, on: Defect rate above target." in ben.text
    assert "Group work (45 min)" in ben.text and "<p>Agenda:<br>Data review (30 min)<br>" in ben.html
    assert "Thursday, December 3, 2026, 14:00 (China (Shanghai) Time)" in ben.text
    ou = _notification(engine, salon, world.people["O1"], "v0")
    assert ou.subject == "沙龙邀请：不良率复盘" and "分享人" not in ou.text
    calendar, event = _event(ben)
    assert calendar["METHOD"] == "REQUEST" and event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event.start == datetime(2026, 12, 3, 14, 0, tzinfo=SHANGHAI)
    assert event.end == datetime(2026, 12, 3, 15, 15, tzinfo=SHANGHAI)  # 30 + 45 minutes of agenda
    assert [str(a) for a in [event["ATTENDEE"]]] == ["mailto:b1@example.com"]
    with Session(engine) as session:
        channels = session.exec(
            select(Notification.employee_id, NotificationDelivery.channel)
            .join(NotificationDelivery, col(NotificationDelivery.notification_id) == col(Notification.id))
            .order_by(col(NotificationDelivery.id))
        ).all()
        invitations = session.exec(select(SalonInvitation).order_by(col(SalonInvitation.employee_id))).all()
    p1 = world.people["P1"]
    assert sorted(c for e, c in channels if e == p1) == ["in_app"]  # no e-mail address
    assert len(channels) == 5
    assert {(i.employee_id, i.presenter, i.active) for i in invitations} == {
        (world.people["B1"], True, True),
        (world.people["O1"], False, True),
        (p1, False, True),
    }


def test_syncing_again_sends_nothing(engine, world):
    _schedule(engine, world.salon, THURSDAY)

    again = _sync(engine, world.salon)

    assert again.notification_ids == [] and again.job_id is None


def test_a_new_time_updates_everyone_with_the_next_sequence_and_asks_again(engine, world):
    _schedule(engine, world.salon, THURSDAY)
    with session_scope(engine) as session:
        respond(session, world.salon, world.people["O1"], RsvpResponse.ACCEPTED, " 准时到 ", NOW)

    created = _schedule(engine, world.salon, FRIDAY)

    salon = world.salon
    assert set(_messages(engine, created.notification_ids).values()) == {
        (f"salon:{salon}:v1:invitation_update", "invitation_update")
    }
    assert len(created.notification_ids) == 3
    first, _ = _event(_notification(engine, salon, world.people["O1"], "v0"))
    update = _notification(engine, salon, world.people["O1"], "v1")
    assert update.subject == "沙龙时间更新：不良率复盘"
    _, event = _event(update)
    assert str(event["UID"]) == str(first.events[0]["UID"]) and event["SEQUENCE"] == 1
    assert event.start == datetime(2026, 12, 4, 15, 0, tzinfo=SHANGHAI)
    with Session(engine) as session:
        (answer, _), *_ = answers(session, salon, world.people["O1"])
    assert answer.response is None  # asked again


def test_people_added_and_removed_hear_only_about_themselves(engine, world):
    _schedule(engine, world.salon, THURSDAY)
    with session_scope(engine) as session:
        salon = session.get(Salon, world.salon)
        content = SalonContent.from_json(salon.content)
        salon.content = SalonContent(
            texts=content.texts, presenters=("B1",), participants=("O1", "M1"), groups=()
        ).to_json()
        session.add(salon)

    created = _sync(engine, world.salon)

    assert _messages(engine, created.notification_ids) == {
        "M1": (f"salon:{world.salon}:v1:invitation", "invitation"),
        "P1": (f"salon:{world.salon}:v1:invitation_removed", "invitation_cancelled"),
    }
    removed = _notification(engine, world.salon, world.people["P1"], "invitation_removed")
    assert removed.subject == "沙龙邀请已撤回：不良率复盘"
    calendar, event = _event(removed)
    assert calendar["METHOD"] == "CANCEL" and event["SEQUENCE"] == 1 and "ATTENDEE" not in event  # no e-mail
    with Session(engine) as session:
        active = session.exec(
            select(SalonInvitation.employee_id).where(col(SalonInvitation.active).is_(True))
        ).all()
    assert sorted(active) == sorted([world.people["B1"], world.people["O1"], world.people["M1"]])


def test_cancelling_tells_everyone_invited_with_the_reason(engine, world):
    _schedule(engine, world.salon, THURSDAY)
    with session_scope(engine) as session:
        store.cancel(session, world.salon, "设备检修")

    created = _sync(engine, world.salon)

    assert set(_messages(engine, created.notification_ids)) == {"B1", "O1", "P1"}
    ben = _notification(engine, world.salon, world.people["B1"], "invitation_cancelled")
    assert ben.subject == "Cancelled: Defect rate review"
    assert "planned for Thursday, December 3, 2026, 14:00" in ben.text and "Reason: 设备检修" in ben.text
    calendar, event = _event(ben)
    assert calendar["METHOD"] == "CANCEL" and event["SEQUENCE"] == 1 and event["STATUS"] == "CANCELLED"
    with Session(engine) as session:
        assert session.get(SalonCalendar, world.salon).cancelled
    assert _sync(engine, world.salon).notification_ids == []


def test_only_an_invited_person_answers_a_scheduled_salon(engine, world):
    with session_scope(engine) as session, pytest.raises(InvalidArgument) as refused:
        respond(session, world.salon, world.people["O1"], RsvpResponse.ACCEPTED, None, NOW)
    assert refused.value.field == "salon_id" and "not invited" in refused.value.reason
    _schedule(engine, world.salon, THURSDAY)

    with session_scope(engine) as session, pytest.raises(InvalidArgument) as refused:
        respond(session, world.salon, world.people["M1"], RsvpResponse.DECLINED, None, NOW)
    assert "not invited" in refused.value.reason
    with session_scope(engine) as session, pytest.raises(InvalidArgument) as refused:
        respond(session, world.salon, world.people["O1"], RsvpResponse.DECLINED, "x" * 501, NOW)
    assert refused.value.field == "note"

    with session_scope(engine) as session:
        respond(session, world.salon, world.people["P1"], RsvpResponse.TENTATIVE, "可能晚到", NOW)
    with Session(engine) as session:
        rows = answers(session, world.salon)
    assert [(e.employee_id, i.presenter, i.response, i.note) for i, e in rows] == [
        ("B1", True, None, None),
        ("O1", False, None, None),
        ("P1", False, "tentative", "可能晚到"),
    ]


def test_a_salon_of_a_berlin_department_is_in_berlin_time(engine, world):
    with session_scope(engine) as session:
        salon = session.get(Salon, world.salon)
        salon.department_id = world.departments["BER-A"]  # no zone of its own: its parent's
        session.add(salon)

    _schedule(engine, world.salon, datetime(2027, 3, 29, 12, 0, tzinfo=UTC))

    _, event = _event(_notification(engine, world.salon, world.people["B1"], "v0"))
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.start == datetime(2027, 3, 29, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # CEST
    ben = _notification(engine, world.salon, world.people["B1"], "v0")
    assert "Monday, March 29, 2027, 14:00 (Germany (Berlin) Time)" in ben.text
