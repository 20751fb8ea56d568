"""Creating notifications: a message per person, a delivery per channel, and the job that sends
them — written together, in the transaction of whatever made them due.

This is the job outbox's idea (``domain.jobs``) one level down. A message is unique on its key
and its recipient, so creating it twice — two schedulers at once, a retried job, ``salon
remind`` replayed — inserts nothing the second time (``ON CONFLICT DO NOTHING``: a concurrent
insert waits for the first to commit, then skips). Each new message gets a ``pending`` delivery
on every channel that reaches its recipient (e-mail needs an address; the app reaches everyone),
and the ``deliver_notifications`` job that sends them commits with them.

People whose data was erased get nothing, now or later (``delivery`` checks again).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from domain.jobs import DELIVER_NOTIFICATIONS, create_job
from domain.models import DeliveryStatus, Employee, Notification, NotificationDelivery
from domain.notifications.drafts import Draft
from plugins.channels import NotificationChannel, Recipient


@dataclass(frozen=True)
class Person:
    """A current (not erased) employee as notifications address them."""

    row_id: int
    employee_id: str
    name: str
    email: str | None
    locale: str

    def recipient(self) -> Recipient:
        return Recipient(self.employee_id, self.name, self.email, self.locale)

    @classmethod
    def of(cls, row: Employee, default_locale: str) -> Person:
        return cls(row.id, row.employee_id, row.name, row.email, row.locale or default_locale)


def people(session: Session, row_ids: Collection[int], default_locale: str) -> dict[int, Person]:
    """The current employees among ``row_ids``, by row id in their order (the erased are left out)."""
    if not row_ids:
        return {}
    rows = session.exec(
        select(Employee).where(col(Employee.id).in_(sorted(set(row_ids))), col(Employee.erased_at).is_(None))
    )
    found = {row.id: Person.of(row, default_locale) for row in rows}
    return {row_id: found[row_id] for row_id in dict.fromkeys(row_ids) if row_id in found}


def people_by_code(session: Session, employee_ids: Collection[str], default_locale: str) -> dict[str, Person]:
    """The current employees among ``employee_ids`` (the import's ids), by that id."""
    if not employee_ids:
        return {}
    rows = session.exec(
        select(Employee).where(
            col(Employee.employee_id).in_(sorted(set(employee_ids))), col(Employee.erased_at).is_(None)
        )
    )
    return {row.employee_id: Person.of(row, default_locale) for row in rows}


@dataclass(frozen=True)
class Created:
    notification_ids: list[int]
    delivery_ids: list[int]
    job_id: str | None = None  # the job that sends them, when one was asked for


def _insert_new(session: Session, draft: Draft, now: datetime) -> int | None:
    """Insert ``draft`` unless its (key, recipient) exists; the new id, or None."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = Notification.__table__
    statement = (
        insert(table)
        .values(
            key=draft.key,
            employee_id=draft.employee_id,
            kind=draft.kind.value,
            locale=draft.locale,
            salon_id=draft.salon_id,
            plan_id=draft.plan_id,
            subject=draft.subject,
            text=draft.text,
            html=draft.html,
            link=draft.link,
            calendar=draft.calendar,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["key", "employee_id"])
        .returning(table.c.id)
    )
    return session.execute(statement).scalar()


def add(
    session: Session,
    drafts: Sequence[Draft],
    recipients: Mapping[int, Person],
    channels: Mapping[str, NotificationChannel],
    now: datetime,
    *,
    with_job: bool = True,
) -> Created:
    """Store the drafts that are new, with a pending delivery on each channel that reaches their
    recipient (``recipients`` by row id; a draft for anyone else is dropped), and — unless
    ``with_job`` is off (the caller delivers them itself) — the job that sends them."""
    notification_ids, deliveries = [], []
    for draft in drafts:
        person = recipients.get(draft.employee_id)
        if person is None:
            continue
        notification_id = _insert_new(session, draft, now)
        if notification_id is None:
            continue
        notification_ids.append(notification_id)
        for key, channel in channels.items():
            if channel.reaches(person.recipient()):
                delivery = NotificationDelivery(
                    notification_id=notification_id, channel=key, created_at=now, updated_at=now
                )
                session.add(delivery)
                deliveries.append(delivery)
    session.flush()
    delivery_ids = [delivery.id for delivery in deliveries]
    job_id = assign_job(session, delivery_ids) if with_job and delivery_ids else None
    return Created(notification_ids, delivery_ids, job_id)


def assign_job(session: Session, delivery_ids: list[int]) -> str:
    """A ``deliver_notifications`` job for ``delivery_ids``, which it now answers for."""
    job = create_job(session, DELIVER_NOTIFICATIONS, {"delivery_ids": sorted(delivery_ids)})
    session.execute(
        update(NotificationDelivery)
        .where(
            col(NotificationDelivery.id).in_(delivery_ids),
            col(NotificationDelivery.status).in_(
                [DeliveryStatus.PENDING.value, DeliveryStatus.SENDING.value]
            ),
        )
        .values(job_id=job.id)
    )
    return job.id
