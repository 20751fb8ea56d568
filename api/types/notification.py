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
    INVITATION = models.NotificationKind.INVITATION.value
    INVITATION_UPDATE = models.NotificationKind.INVITATION_UPDATE.value
    INVITATION_CANCELLED = models.NotificationKind.INVITATION_CANCELLED.value
    PLAN_REMINDER = models.NotificationKind.PLAN_REMINDER.value
    PROGRESS_REPORT = models.NotificationKind.PROGRESS_REPORT.value


@strawberry.enum(description="Where a notification's delivery on one channel is.")
class DeliveryStatus(Enum):
    PENDING = models.DeliveryStatus.PENDING.value
    SENDING = models.DeliveryStatus.SENDING.value
    SENT = models.DeliveryStatus.SENT.value
    FAILED = models.DeliveryStatus.FAILED.value
    SKIPPED = models.DeliveryStatus.SKIPPED.value


@strawberry.type(
    description="A notification on one channel (email, in_app, or a plugin's): sent once; a channel that "
    "fails is tried again with a backoff, and the reason shows here meanwhile."
)
class NotificationDelivery:
    channel: str
    status: DeliveryStatus
    attempts: int
    sent_at: datetime | None
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
    id: strawberry.ID
    kind: NotificationKind
    subject: str
    text: str = strawberry.field(description="The message as plain text.")
    html: str = strawberry.field(description="The same message as an HTML document.")
    link: str | None = strawberry.field(
        description="A path in the app it is about (a salon's calendar file)."
    )
    created_at: datetime
    read_at: datetime | None
    deliveries: list[NotificationDelivery]
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
