"""Sending deliveries: claim one, hand it to its channel, record what happened — once.

A sender first *claims* a delivery in a transaction of its own: a conditional UPDATE that turns
``pending`` (or a ``sending`` whose claim has lapsed) into ``sending`` under a fresh claim token;
only the sender whose UPDATE changed the row goes on. So two workers, a retried job and a
``salon remind`` running beside them never send the same delivery twice, and no database lock
is held while a mail server is slow. The outcome is written only under the same token:
``sent``; ``failed`` when the channel says retrying cannot help; otherwise ``pending`` again with
the error and a backoff. A sender that dies mid-send leaves a claim that lapses after
``LEASE``, and the delivery is sent again (the one case a message may arrive twice: the channel
took it and nobody lived to record it).

A pending delivery belongs to the job that was created for it; when that job has ended (its
retries spent while a mail server was down) :func:`stranded` finds it for a new one
(``outbox.assign_job``), so a failure delays a message but never loses it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, or_, true, update
from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.jobs import UNFINISHED
from domain.models import (
    DeliveryStatus,
    Employee,
    Job,
    Notification,
    NotificationDelivery,
    NotificationKind,
    utcnow,
)
from domain.notifications.calendar import CANCEL, REQUEST
from plugins.channels import Attachment, Message, NotificationChannel, Recipient, Undeliverable

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)  # how long a claim holds; a send takes seconds
MAX_BACKOFF = timedelta(minutes=15)
ERROR_LIMIT = 1000
CANCELLING = {NotificationKind.INVITATION_CANCELLED.value}


@dataclass(frozen=True)
class Attempt:
    """What became of one delivery in one pass."""

    delivery_id: int
    channel: str
    status: str
    employee_id: str
    kind: str
    subject: str
    error: str | None = None


@dataclass
class Report:
    attempts: list[Attempt] = field(default_factory=list)

    def having(self, status: DeliveryStatus) -> list[Attempt]:
        return [a for a in self.attempts if a.status == status.value]

    @property
    def deferred(self) -> list[Attempt]:
        return self.having(DeliveryStatus.PENDING)


def backoff(attempts: int) -> timedelta:
    """1 min, 2 min, 4 min … at most ``MAX_BACKOFF``, after the ``attempts``-th failure."""
    return min(timedelta(minutes=2 ** min(attempts - 1, 10)), MAX_BACKOFF)


def claim(engine: Engine, delivery_id: int, now: datetime) -> str | None:
    """Claim ``delivery_id`` for sending; the claim token, or None when it is not to be sent
    (sent, failed, skipped, or another sender holds it)."""
    token = uuid.uuid4().hex
    claimable = or_(
        col(NotificationDelivery.status) == DeliveryStatus.PENDING.value,
        and_(
            col(NotificationDelivery.status) == DeliveryStatus.SENDING.value,
            col(NotificationDelivery.claimed_until) < now,
        ),
    )
    with session_scope(engine) as session:
        changed = session.execute(
            update(NotificationDelivery)
            .where(col(NotificationDelivery.id) == delivery_id, claimable)
            .values(
                status=DeliveryStatus.SENDING.value,
                claim=token,
                claimed_until=now + LEASE,
                attempts=NotificationDelivery.attempts + 1,
                updated_at=now,
            )
        ).rowcount
    return token if changed == 1 else None


def _finish(
    engine: Engine, delivery_id: int, token: str, status: DeliveryStatus, now: datetime, error=None
) -> None:
    values: dict[str, object] = {
        "status": status.value,
        "claim": None,
        "claimed_until": None,
        "updated_at": now,
    }
    if status is DeliveryStatus.SENT:
        values |= {"sent_at": now, "error": None, "next_attempt_at": None}
    else:
        values["error"] = (error or "")[:ERROR_LIMIT] or None
    with session_scope(engine) as session:
        if status is DeliveryStatus.PENDING:
            attempts = session.get(NotificationDelivery, delivery_id).attempts
            values["next_attempt_at"] = now + backoff(attempts)
        session.execute(
            update(NotificationDelivery)
            .where(col(NotificationDelivery.id) == delivery_id, col(NotificationDelivery.claim) == token)
            .values(**values)
        )


def message_of(notification: Notification, channel: str) -> Message:
    attachments: tuple[Attachment, ...] = ()
    if notification.calendar:
        method = (
            CANCEL if notification.kind in CANCELLING or "METHOD:CANCEL" in notification.calendar else REQUEST
        )
        attachments = (
            Attachment("invitation.ics", f"text/calendar; method={method}", notification.calendar.encode()),
        )
    return Message(
        key=f"{notification.key}:{notification.employee_id}:{channel}",
        kind=notification.kind,
        subject=notification.subject,
        text=notification.text,
        html=notification.html,
        link=notification.link,
        attachments=attachments,
    )


def _load(engine: Engine, delivery_id: int) -> tuple[NotificationDelivery, Notification, Employee] | None:
    """The delivery, its message and its recipient; None when erasure removed them meanwhile."""
    with Session(engine) as session:
        delivery = session.get(NotificationDelivery, delivery_id)
        notification = delivery and session.get(Notification, delivery.notification_id)
        if notification is None:
            return None
        return delivery, notification, session.get(Employee, notification.employee_id)


def send_one(
    engine: Engine, delivery_id: int, channels: Mapping[str, NotificationChannel], now: datetime | None = None
) -> Attempt | None:
    """Send one delivery if it is to be sent and nobody else is sending it; None otherwise."""
    now = now or utcnow()
    token = claim(engine, delivery_id, now)
    if token is None:
        return None
    loaded = _load(engine, delivery_id)
    if loaded is None:
        return None
    delivery, notification, person = loaded
    channel = channels.get(delivery.channel)
    recipient = Recipient(person.employee_id, person.name, person.email, notification.locale)
    status, error = DeliveryStatus.SENT, None
    if person.erased_at is not None:
        status, error = DeliveryStatus.SKIPPED, "the recipient's personal data was erased"
    elif channel is None:
        status, error = DeliveryStatus.SKIPPED, f"no channel {delivery.channel!r} is installed"
    elif not channel.reaches(recipient):
        status, error = (
            DeliveryStatus.SKIPPED,
            f"the {delivery.channel} channel no longer reaches the recipient",
        )
    else:
        try:
            channel.send(message_of(notification, delivery.channel), recipient)
        except Undeliverable as refused:
            status, error = DeliveryStatus.FAILED, str(refused) or type(refused).__name__
        except Exception as failure:  # noqa: BLE001  (any other failure may pass: tried again later)
            log.warning(
                "delivery %s on %s failed; it will be tried again",
                delivery_id,
                delivery.channel,
                exc_info=True,
            )
            status, error = DeliveryStatus.PENDING, f"{type(failure).__name__}: {failure}"
    _finish(engine, delivery_id, token, status, utcnow(), error)
    return Attempt(
        delivery_id,
        delivery.channel,
        status.value,
        person.employee_id,
        notification.kind,
        notification.subject,
        error,
    )


def deliver(
    engine: Engine, delivery_ids: Collection[int], channels: Mapping[str, NotificationChannel], now=None
) -> Report:
    """Try every delivery of ``delivery_ids`` that is to be sent, in id order."""
    report = Report()
    for delivery_id in sorted(set(delivery_ids)):
        attempt = send_one(engine, delivery_id, channels, now)
        if attempt is not None:
            report.attempts.append(attempt)
    return report


def _stranded(now: datetime, due_only: bool):
    """Deliveries nobody will send unless asked: pending (and due, with ``due_only``), with no job
    still running for them; or claimed by a sender whose claim lapsed."""
    live_job = select(Job.id).where(
        col(Job.id) == col(NotificationDelivery.job_id), col(Job.status).in_(UNFINISHED)
    )
    due = or_(
        col(NotificationDelivery.next_attempt_at).is_(None),
        col(NotificationDelivery.next_attempt_at) <= now,
    )
    pending = and_(
        col(NotificationDelivery.status) == DeliveryStatus.PENDING.value,
        due if due_only else true(),
        ~live_job.exists(),
    )
    lapsed = and_(
        col(NotificationDelivery.status) == DeliveryStatus.SENDING.value,
        col(NotificationDelivery.claimed_until) < now,
    )
    return or_(pending, lapsed)


def stranded(session: Session, now: datetime, limit: int = 500, *, due_only: bool = True) -> list[int]:
    """The ids of stranded deliveries, oldest first, locked for this caller (PostgreSQL skips
    rows another caller holds; SQLite's ``session_scope`` holds the write lock). ``due_only``
    off: waiting ones too, before their backoff is over (an operator asked)."""
    statement = (
        select(NotificationDelivery.id)
        .where(_stranded(now, due_only))
        .order_by(col(NotificationDelivery.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(statement))
