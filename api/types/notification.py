"""Notifications as their recipient reads them in the app, and answers to invitations.

A notification is one person's own: nobody else reads it through the API, HR included (HR sees
who was invited and what they answered through ``Salon.rsvps``).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from api.types.salon import Salon
from domain import models


@strawberry.enum(description="What a notification is about.")
class NotificationKind(Enum):
    INVITATION = strawberry.enum_value(
        models.NotificationKind.INVITATION.value, description="Invited to a scheduled salon."
    )
    INVITATION_UPDATE = strawberry.enum_value(
        models.NotificationKind.INVITATION_UPDATE.value,
        description="A salon they are invited to moved or changed.",
    )
    INVITATION_CANCELLED = strawberry.enum_value(
        models.NotificationKind.INVITATION_CANCELLED.value,
        description="A salon they were invited to was cancelled, or they were taken off it.",
    )
    PLAN_REMINDER = strawberry.enum_value(
        models.NotificationKind.PLAN_REMINDER.value,
        description="A plan they own or are a member of, with its progress.",
    )
    PROGRESS_REPORT = strawberry.enum_value(
        models.NotificationKind.PROGRESS_REPORT.value,
        description="New data moved a plan of their department.",
    )


@strawberry.enum(description="Where a notification's delivery on one channel is.")
class DeliveryStatus(Enum):
    PENDING = strawberry.enum_value(
        models.DeliveryStatus.PENDING.value,
        description="Waiting to be sent (again, after a failure: see `error`).",
    )
    SENDING = strawberry.enum_value(
        models.DeliveryStatus.SENDING.value, description="Claimed by a sender right now."
    )
    SENT = strawberry.enum_value(
        models.DeliveryStatus.SENT.value, description="Accepted by the channel (the mail server, the inbox)."
    )
    FAILED = strawberry.enum_value(
        models.DeliveryStatus.FAILED.value,
        description="Refused for good (e.g. the mail server rejected the address).",
    )
    SKIPPED = strawberry.enum_value(
        models.DeliveryStatus.SKIPPED.value,
        description="Not sent: the person has no address on this channel, or was erased.",
    )


@strawberry.type(
    description="A notification on one channel (email, in_app, or a plugin's): sent once; a channel that "
    "fails is tried again with a backoff, and the reason shows here meanwhile."
)
class NotificationDelivery:
    channel: str = strawberry.field(description="The channel's name (email, in_app, or a plugin's).")
    status: DeliveryStatus = strawberry.field(description="Where the delivery is.")
    attempts: int = strawberry.field(description="How many times sending was tried.")
    sent_at: datetime | None = strawberry.field(description="When the channel accepted it; null until then.")
    next_attempt_at: datetime | None = strawberry.field(description="When a waiting delivery is tried again.")
    error: str | None = strawberry.field(description="Why the last attempt failed.")

    @classmethod
    def from_row(cls, row: models.NotificationDelivery) -> NotificationDelivery:
        waiting = row.status == models.DeliveryStatus.PENDING.value
        return cls(
            channel=row.channel,
            status=DeliveryStatus(row.status),
            attempts=row.attempts,
            sent_at=row.sent_at,
            next_attempt_at=row.next_attempt_at if waiting else None,
            error=row.error,
        )


@strawberry.type(description="An invitation, reminder or progress report to the viewer, in their language.")
class Notification:
    id: strawberry.ID = strawberry.field(description="The notification id (for markNotificationsRead).")
    kind: NotificationKind = strawberry.field(description="What it is about.")
    subject: str = strawberry.field(description="Its subject line, in the recipient's language.")
    text: str = strawberry.field(description="The message as plain text.")
    html: str = strawberry.field(description="The same message as an HTML document.")
    link: str | None = strawberry.field(
        description="A path in the app it is about (a salon's calendar file)."
    )
    created_at: datetime = strawberry.field(description="When it was written.")
    read_at: datetime | None = strawberry.field(
        description="When the recipient marked it read; null while unread."
    )
    deliveries: list[NotificationDelivery] = strawberry.field(description="How it went out on each channel.")
    plan_id: strawberry.ID | None = strawberry.field(description="The improvement plan it is about.")
    salon_row: strawberry.Private[Salon | None]

    @strawberry.field(description="Whether the viewer has read it in the app.")
    def read(self) -> bool:
        return self.read_at is not None

    @strawberry.field(description="The salon it is about, when the viewer may see it.")
    def salon(self) -> Salon | None:
        return self.salon_row

    @classmethod
    def from_row(
        cls, row: models.Notification, deliveries: list[models.NotificationDelivery], salon: Salon | None
    ) -> Notification:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=NotificationKind(row.kind),
            subject=row.subject,
            text=row.text,
            html=row.html,
            link=row.link,
            created_at=row.created_at,
            read_at=row.read_at,
            deliveries=[NotificationDelivery.from_row(d) for d in deliveries],
            plan_id=strawberry.ID(str(row.plan_id)) if row.plan_id is not None else None,
            salon_row=salon,
        )
