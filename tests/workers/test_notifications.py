"""Notifications through the workers, on a real SMTP server on loopback: a scheduled salon's
invitations arrive; an SMTP server down delays delivery, the failure shows on the delivery, and
once it is back each message arrives once; a redelivered message and two checks at once send
nothing twice."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.jobs import DELIVER_NOTIFICATIONS, SYNC_INVITATIONS
from domain.models import Job, JobStatus, Notification, NotificationDelivery
from domain.salons import store
from domain.settings import load_settings
from tests.domain.notifications.world import build
from tests.support.declared import declared_plugins  # noqa: F401  (a fixture)
from tests.support.jobs import wait_for_job
from tests.support.smtp import MailServer
from workers import notifications, runtime
from workers.relay import send_now

JANUARY = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)  # the Shanghai plan's reminder is due


@pytest.fixture
def mail(monkeypatch, declared_plugins):  # noqa: F811  (the fixture)
    server = MailServer().start()
    monkeypatch.setenv("SALON_SMTP_URL", server.url)
    monkeypatch.setenv("SALON_SMTP_FROM", "salon@example.com")
    yield server
    server.stop()


@pytest.fixture
def world(engine, mail, running_worker):
    runtime.configure(
        load_settings({"SALON_SMTP_URL": mail.url, "SALON_SMTP_FROM": "salon@example.com"}), engine
    )
    return build(engine)


def _wait(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while not (found := condition()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def _email_delivery(engine) -> NotificationDelivery | None:
    with Session(engine) as session:
        return session.exec(
            select(NotificationDelivery).where(NotificationDelivery.channel == "email")
        ).first()


def test_scheduling_a_salon_mails_its_invitations(engine, world, mail, running_worker):
    with session_scope(engine) as session:
        store.schedule(session, world.salon, datetime.now(UTC) + timedelta(days=30))
    with Session(engine) as session:
        sync_job = session.exec(select(Job).where(Job.actor == SYNC_INVITATIONS)).one()
    send_now(engine, sync_job.id, running_worker)

    synced = wait_for_job(engine, sync_job.id)
    delivered = wait_for_job(engine, synced.result["delivery_job"])

    assert synced.status == JobStatus.SUCCEEDED and synced.result["notifications"] == 3
    assert delivered.status == JobStatus.SUCCEEDED and delivered.result == {"sent": 5}
    assert sorted(to for _, recipients, _ in mail.received for to in recipients) == [
        "b1@example.com",
        "o1@example.com",
    ]
    uids = set()
    for _, _, message in mail.received:
        (attachment,) = list(message.iter_attachments())
        (event,) = Calendar.from_ical(attachment.get_content()).events
        uids.add(str(event["UID"]))
        assert event["SEQUENCE"] == 0 and event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert len(uids) == 1  # one event, whoever reads it


def test_a_server_down_delays_mail_shows_why_and_delivers_once_when_back(engine, world, mail, running_worker):
    mail.stop()

    job_id = notifications.check(engine, running_worker, at=JANUARY)["jobs"][0]

    failing = _wait(lambda: (d := _email_delivery(engine)) is not None and d.error and d)
    assert failing.status == "pending" and "ConnectionRefusedError" in failing.error
    with Session(engine) as session:
        assert session.get(Job, job_id).status in (JobStatus.QUEUED, JobStatus.RUNNING)  # retried, not lost
    mail.start()
    done = wait_for_job(engine, job_id, timeout=60)

    assert done.status == JobStatus.SUCCEEDED
    assert len(mail.mails_to("o1@example.com")) == 1
    delivered = _email_delivery(engine)
    assert delivered.status == "sent" and delivered.attempts >= 2 and delivered.error is None


def test_a_redelivered_message_and_two_checks_at_once_send_once(engine, world, mail, running_worker):
    mail.delay = 0.5  # the first sender is still busy when the others arrive
    results = []
    checks = [
        threading.Thread(
            target=lambda: results.append(notifications.check(engine, running_worker, at=JANUARY))
        )
        for _ in range(2)
    ]
    for thread in checks:
        thread.start()
    for thread in checks:
        thread.join()
    (job_id,) = [job for result in results for job in result["jobs"]]  # one check found it due
    with Session(engine) as session:
        ids = session.exec(select(NotificationDelivery.id)).all()
    running_worker.get_actor(DELIVER_NOTIFICATIONS).send_with_options(
        kwargs={"delivery_ids": list(ids), "job_id": job_id}
    )  # the same message again, as a broker redelivers it

    wait_for_job(engine, job_id)
    _wait(lambda: _email_delivery(engine).status == "sent")
    time.sleep(1.0)  # room for a second send, were there one

    assert len(mail.mails_to("o1@example.com")) == 1
    with Session(engine) as session:
        assert len(session.exec(select(Notification)).all()) == 2  # O1 and P1, once each
        statuses = session.exec(
            select(NotificationDelivery.status).order_by(col(NotificationDelivery.id))
        ).all()
    assert statuses == ["sent", "sent", "sent"]
