"""A person's notifications in the app: those delivered on the ``in_app`` channel, newest
first, and marking them read. Only ever the person's own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, select

from domain.errors import InvalidArgument
from domain.models import DeliveryStatus, Notification, NotificationDelivery

IN_APP = "in_app"
LIMIT = 200  # the newest this many; older ones stay stored


def inbox(
    session: Session, employee_row_id: int, unread_only: bool = False, limit: int = LIMIT
) -> list[tuple[Notification, list[NotificationDelivery]]]:
    """The person's notifications shown in the app, each with its deliveries on every channel."""
    shown = select(NotificationDelivery.notification_id).where(
        col(NotificationDelivery.channel) == IN_APP,
        col(NotificationDelivery.status) == DeliveryStatus.SENT.value,
    )
    statement = select(Notification).where(
        col(Notification.employee_id) == employee_row_id, col(Notification.id).in_(shown)
    )
    if unread_only:
        statement = statement.where(col(Notification.read_at).is_(None))
    rows = list(
        session.exec(
            statement.order_by(col(Notification.created_at).desc(), col(Notification.id).desc()).limit(limit)
        )
    )
    deliveries: dict[int, list[NotificationDelivery]] = defaultdict(list)
    if rows:
        for delivery in session.exec(
            select(NotificationDelivery)
            .where(col(NotificationDelivery.notification_id).in_([n.id for n in rows]))
            .order_by(col(NotificationDelivery.channel))
        ):
            deliveries[delivery.notification_id].append(delivery)
    return [(row, deliveries[row.id]) for row in rows]


def mark_read(session: Session, employee_row_id: int, ids: Collection[int], now: datetime) -> list[int]:
    """Mark the person's notifications ``ids`` read (those read already keep their time); an id
    that is not theirs refuses the whole request, naming it."""
    wanted = sorted(set(ids))
    rows = session.exec(
        select(Notification).where(
            col(Notification.id).in_(wanted), col(Notification.employee_id) == employee_row_id
        )
    ).all()
    if missing := sorted(set(wanted) - {row.id for row in rows}):
        shown = ", ".join(map(str, missing[:10]))
        raise InvalidArgument(f"no notification of yours with id {shown}", field="ids")
    for row in rows:
        if row.read_at is None:
            row.read_at = now
            session.add(row)
    return wanted
