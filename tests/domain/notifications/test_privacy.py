"""A person's notifications and answers are theirs: exported with their data, gone with their
erasure (an invitation's calendar names its attendee), and nothing new reaches them after."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.models import Notification, NotificationDelivery, RsvpResponse, Salon, SalonInvitation
from domain.notifications.invitations import sync
from domain.notifications.reminders import remind
from domain.notifications.rsvp import respond
from domain.privacy import erase_personal_data, export_personal_data
from plugins.builtin.email import EmailChannel
from plugins.builtin.in_app import InAppChannel
from tests.domain.notifications.world import DEFAULTS

CHANNELS = {"email": EmailChannel("smtp://127.0.0.1:2525", "salon@example.com"), "in_app": InAppChannel()}
JANUARY = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)


def _invite_and_remind(engine, world) -> None:
    with session_scope(engine) as session:
        salon = session.get(Salon, world.salon)
        salon.status, salon.scheduled_at = "SCHEDULED", datetime(2027, 6, 3, 6, 0, tzinfo=UTC)
        session.add(salon)
    with session_scope(engine) as session:
        sync(session, world.salon, DEFAULTS, CHANNELS, JANUARY)
        respond(session, world.salon, world.people["O1"], RsvpResponse.DECLINED, "家里有事", JANUARY)
    with session_scope(engine) as session:
        remind(session, JANUARY, DEFAULTS, CHANNELS, now=JANUARY)


def test_notifications_and_answers_are_exported_with_a_persons_data(engine, world):
    _invite_and_remind(engine, world)

    with Session(engine) as session:
        data = export_personal_data(session, "O1")

    assert [(n["kind"], n["subject"]) for n in data["notifications"]] == [
        ("invitation", "沙龙邀请：不良率复盘"),
        ("plan_reminder", "改进计划提醒：运营部不良率"),
    ]
    assert data["invitations"] == [
        {"salon": world.salon, "month": "2026-12", "presenter": False, "invited": True,
         "response": "declined", "note": "家里有事"},
    ]  # fmt: skip


def test_erasure_removes_their_notifications_and_notes_and_nothing_new_reaches_them(engine, world):
    _invite_and_remind(engine, world)
    o1 = world.people["O1"]

    with session_scope(engine) as session:
        erase_personal_data(session, "O1", "a-secret-of-16-chars")
    with session_scope(engine) as session:
        again = remind(session, datetime(2027, 2, 1, 1, 0, tzinfo=UTC), DEFAULTS, CHANNELS, now=JANUARY)

    with Session(engine) as session:
        theirs = session.exec(select(Notification).where(Notification.employee_id == o1)).all()
        orphans = session.exec(
            select(NotificationDelivery).where(
                ~col(NotificationDelivery.notification_id).in_(select(Notification.id))
            )
        ).all()
        answer = session.get(SalonInvitation, (world.salon, o1))
        recipients = {session.get(Notification, i).employee_id for i in again.notification_ids}
    assert theirs == [] and orphans == []
    assert (answer.response, answer.note) == ("declined", None)
    assert recipients == {world.people["P1"]}
