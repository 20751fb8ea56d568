"""Delivering to a real SMTP server on loopback: mail with text, HTML and the invitation's
iCalendar read back; a server down then up delivers once; concurrent and repeated senders send
once; a recipient refused for good stops; an erased person gets nothing; a delivery whose job
has ended is found again."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import update
from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.jobs import DELIVER_NOTIFICATIONS, create_job
from domain.models import DeliveryStatus, Employee, Job, JobStatus, NotificationDelivery, Salon
from domain.notifications.delivery import LEASE, deliver, stranded
from domain.notifications.invitations import sync
from domain.notifications.reminders import remind
from plugins.builtin.email import EmailChannel
from plugins.builtin.in_app import InAppChannel
from tests.domain.notifications.world import DEFAULTS
from tests.support.smtp import MailServer

JANUARY = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)  # the Shanghai plan's reminder is due
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def mail():
    server = MailServer().start()
    yield server
    server.stop()


def channels(server: MailServer) -> dict:
    return {"email": EmailChannel(server.url, "salon@example.com", timeout=5), "in_app": InAppChannel()}


def _remind(engine, server) -> list[int]:
    with session_scope(engine) as session:
        return remind(session, JANUARY, DEFAULTS, channels(server), now=JANUARY).delivery_ids


def _statuses(engine) -> list[tuple[str, str, int]]:
    with Session(engine) as session:
        rows = session.exec(select(NotificationDelivery).order_by(col(NotificationDelivery.id))).all()
        return [(row.channel, row.status, row.attempts) for row in rows]


def test_an_invitation_arrives_with_text_html_and_its_calendar(engine, world, mail):
    with session_scope(engine) as session:
        salon = session.get(Salon, world.salon)
        salon.status, salon.scheduled_at = "SCHEDULED", datetime(2027, 6, 3, 6, 0, tzinfo=UTC)
        session.add(salon)
    with session_scope(engine) as session:
        created = sync(session, world.salon, DEFAULTS, channels(mail), JANUARY)

    report = deliver(engine, created.delivery_ids, channels(mail))

    assert sorted((a.employee_id, a.channel, a.status) for a in report.attempts) == [
        ("B1", "email", "sent"), ("B1", "in_app", "sent"), ("O1", "email", "sent"), ("O1", "in_app", "sent"),
        ("P1", "in_app", "sent"),
    ]  # fmt: skip
    (ben,) = mail.mails_to("b1@example.com")
    assert ben["Subject"] == "Invitation: Defect rate review" and ben["From"] == "salon@example.com"
    assert ben["To"] == "Ben <b1@example.com>"
    assert "You present at this salon" in ben.get_body(("plain",)).get_content()
    assert "<p>Agenda:<br>Data review (30 min)" in ben.get_body(("html",)).get_content()
    parts = {part.get_content_type(): part for part in ben.walk()}
    assert parts["text/calendar"].get_param("method") == "REQUEST"
    (attachment,) = list(ben.iter_attachments())
    assert attachment.get_filename() == "invitation.ics"
    calendar = Calendar.from_ical(attachment.get_content())
    (event,) = calendar.events
    assert (
        calendar["METHOD"] == "REQUEST"
        and event["SEQUENCE"] == 0
        and str(event["UID"]).startswith(f"salon-{world.salon}-")
    )
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert (event.start, event.end) == (
        datetime(2027, 6, 3, 14, 0, tzinfo=SHANGHAI),
        datetime(2027, 6, 3, 15, 15, tzinfo=SHANGHAI),
    )
    assert str(event["ATTENDEE"]) == "mailto:b1@example.com"
    assert len(mail.received) == 2  # B1 and O1; P1 has no address


def test_a_server_down_delays_delivery_and_then_delivers_once(engine, world, mail):
    ids = _remind(engine, mail)
    mail.stop()

    first = deliver(engine, ids, channels(mail))

    assert [(a.channel, a.status) for a in first.deferred] == [("email", "pending")]
    assert "ConnectionRefusedError" in first.deferred[0].error
    with Session(engine) as session:
        waiting = session.exec(
            select(NotificationDelivery).where(NotificationDelivery.channel == "email")
        ).one()
    assert waiting.error.startswith("ConnectionRefusedError") and waiting.next_attempt_at > waiting.updated_at
    assert sorted(_statuses(engine)) == [
        ("email", "pending", 1),
        ("in_app", "sent", 1),
        ("in_app", "sent", 1),
    ]

    mail.start()
    second = deliver(engine, ids, channels(mail))
    third = deliver(engine, ids, channels(mail))

    assert [(a.channel, a.status) for a in second.attempts] == [("email", "sent")]
    assert third.attempts == []  # a redelivered job finds nothing left to send
    assert len(mail.mails_to("o1@example.com")) == 1
    assert sorted(_statuses(engine)) == [("email", "sent", 2), ("in_app", "sent", 1), ("in_app", "sent", 1)]


def test_two_senders_at_once_send_each_message_once(engine, world, mail):
    ids = _remind(engine, mail)
    mail.delay = 0.3  # both senders are busy at the same time
    reports = []

    def run():
        reports.append(deliver(engine, ids, channels(mail)))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(mail.mails_to("o1@example.com")) == 1
    assert sorted(a.channel for report in reports for a in report.attempts) == ["email", "in_app", "in_app"]
    assert all(status == "sent" for _, status, _ in _statuses(engine))


def test_a_recipient_refused_for_good_is_not_tried_again(engine, world, mail):
    ids = _remind(engine, mail)
    mail.refused.add("o1@example.com")

    report = deliver(engine, ids, channels(mail))
    again = deliver(engine, ids, channels(mail))

    (failed,) = report.having(DeliveryStatus.FAILED)
    assert failed.channel == "email" and "550" in failed.error and "no such mailbox" in failed.error
    assert again.attempts == [] and mail.received == []


def test_a_person_erased_before_delivery_gets_nothing(engine, world, mail):
    ids = _remind(engine, mail)
    with session_scope(engine) as session:
        session.execute(update(Employee).where(Employee.employee_id == "O1").values(erased_at=JANUARY))

    report = deliver(engine, ids, channels(mail))

    assert sorted((a.employee_id, a.channel, a.status) for a in report.attempts) == [
        ("O1", "email", "skipped"),
        ("O1", "in_app", "skipped"),
        ("P1", "in_app", "sent"),
    ]
    assert mail.received == []


def test_a_delivery_whose_job_ended_or_whose_sender_died_is_stranded(engine, world, mail):
    ids = _remind(engine, mail)  # pending, their job QUEUED
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        assert stranded(session, now) == []  # their job will send them
        session.execute(update(Job).values(status=JobStatus.FAILED.value))
    with session_scope(engine) as session:
        assert stranded(session, now) == sorted(ids)
        other = create_job(session, DELIVER_NOTIFICATIONS, {"delivery_ids": ids})
        session.execute(
            update(NotificationDelivery).values(
                job_id=other.id, status="sending", claimed_until=now - timedelta(seconds=1)
            )
        )
    with session_scope(engine) as session:
        assert stranded(session, now) == sorted(ids)  # claimed by a sender whose claim lapsed
        session.execute(update(NotificationDelivery).values(claimed_until=now + LEASE))
    with session_scope(engine) as session:
        assert stranded(session, now) == []  # a sender holds them
