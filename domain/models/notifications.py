"""Notifications: what one person is told — an invitation, a reminder, a progress report — and
its delivery on each channel, sent once through an outbox.

``Notification`` is one message to one person, rendered when it is created (in their locale)
and unique on (``key``, employee): whoever creates the same message again — a second
scheduler, a retried job, ``salon remind`` replayed — hits the index and adds nothing.
``NotificationDelivery`` is that message on one channel (e-mail, in-app, a plugin's), unique on
(notification, channel): the outbox row a worker claims, sends and marks, retrying with a
backoff while the channel fails (``domain.notifications.delivery``).

A salon's calendar event (``SalonCalendar``: its UID, SEQUENCE and times as last sent) and who
is invited to it with their answer (``SalonInvitation``) are what invitations are worked out
against; a plan's reminder cadence is ``PlanReminder`` (absent: monthly on the 1st at 09:00).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from domain.models.base import one_of, utcnow


class NotificationKind(StrEnum):
    INVITATION = "invitation"
    INVITATION_UPDATE = "invitation_update"
    INVITATION_CANCELLED = "invitation_cancelled"
    PLAN_REMINDER = "plan_reminder"
    PROGRESS_REPORT = "progress_report"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # to be sent (again): ``next_attempt_at`` says from when
    SENDING = "sending"  # claimed by a sender until ``claimed_until``
    SENT = "sent"
    FAILED = "failed"  # the channel refused it for good (no such mailbox): not retried
    SKIPPED = "skipped"  # the recipient was erased, or the channel no longer reaches them


class RsvpResponse(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"


class ReminderCadence(StrEnum):
    MONTHLY = "monthly"
    WEEKLY = "weekly"


class Notification(SQLModel, table=True):
    __table_args__ = (
        one_of("kind", NotificationKind),
        Index("uq_notification_key_employee", "key", "employee_id", unique=True),
        Index("ix_notification_employee_created", "employee_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200)  # the message, e.g. salon:12:seq:3:invitation
    employee_id: int = Field(foreign_key="employee.id", ondelete="CASCADE")
    kind: str
    locale: str = Field(max_length=16)
    salon_id: int | None = Field(default=None, foreign_key="salon.id", index=True, ondelete="CASCADE")
    plan_id: int | None = Field(
        default=None, foreign_key="improvementplan.id", index=True, ondelete="CASCADE"
    )
    subject: str
    text: str  # the plain-text part
    html: str  # the HTML part
    link: str | None = None  # where the app shows what it is about
    calendar: str | None = None  # an iCalendar object (invitations), attached to e-mail
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None  # in the app


class NotificationDelivery(SQLModel, table=True):
    __table_args__ = (
        one_of("status", DeliveryStatus),
        Index("uq_notificationdelivery_notification_channel", "notification_id", "channel", unique=True),
        Index("ix_notificationdelivery_status_next", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="notification.id", ondelete="CASCADE")
    channel: str = Field(max_length=64)
    status: str = DeliveryStatus.PENDING.value
    attempts: int = 0
    next_attempt_at: datetime | None = None
    claim: str | None = Field(default=None, max_length=32)  # the sender holding it while SENDING
    claimed_until: datetime | None = None
    sent_at: datetime | None = None
    error: str | None = None  # why the last attempt failed
    job_id: str | None = Field(default=None, max_length=32)  # the delivery job answering for it
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SalonCalendar(SQLModel, table=True):
    """A salon's calendar event as last sent: a new time, a cancellation or a change of people
    raises ``sequence``, so calendars replace the copy they hold."""

    salon_id: int = Field(foreign_key="salon.id", primary_key=True, ondelete="CASCADE")
    uid: str = Field(max_length=200)  # stable for the salon's life
    sequence: int = 0
    starts_at: datetime
    ends_at: datetime
    timezone: str = Field(max_length=64)
    cancelled: bool = False
    updated_at: datetime = Field(default_factory=utcnow)


class SalonInvitation(SQLModel, table=True):
    """Someone invited to a scheduled salon (``active``: still invited), and their answer."""

    __table_args__ = (
        one_of("response", RsvpResponse),
        Index("ix_saloninvitation_employee_salon", "employee_id", "salon_id"),
    )

    salon_id: int = Field(foreign_key="salon.id", primary_key=True, ondelete="CASCADE")
    employee_id: int = Field(foreign_key="employee.id", primary_key=True, ondelete="CASCADE")
    presenter: bool = False
    active: bool = True
    response: str | None = None
    note: str | None = None
    responded_at: datetime | None = None
    invited_at: datetime = Field(default_factory=utcnow)


class PlanReminder(SQLModel, table=True):
    """When a plan's reminders fall, in its department's time zone: ``day`` is the day of the
    month (monthly, 1–28) or of the week (weekly, 1 = Monday … 7), ``hour`` 0–23."""

    __table_args__ = (
        one_of("cadence", ReminderCadence),
        CheckConstraint("hour >= 0 AND hour <= 23", name="hour"),
        CheckConstraint(
            "(cadence = 'monthly' AND day BETWEEN 1 AND 28) OR (cadence = 'weekly' AND day BETWEEN 1 AND 7)",
            name="day",
        ),
    )

    plan_id: int = Field(foreign_key="improvementplan.id", primary_key=True, ondelete="CASCADE")
    cadence: str = ReminderCadence.MONTHLY.value
    day: int = 1
    hour: int = 9
    updated_by: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)
