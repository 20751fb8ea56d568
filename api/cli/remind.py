"""``salon remind``: send what is due at a moment — the plan reminders due then, and the
deliveries a failure left waiting (without waiting out their backoff) — and print what was
sent.

The same check the workers run every ``SALON_REMIND_MINUTES``, delivered here instead of by a
job, so that an operator sees the outcome (and can replay a moment with ``--at``: the
reminders follow each plan's calendar, so a moment's reminders are those that moment would
have sent, and anything sent before is not sent again). A delivery that fails stays in the
outbox with its reason; the workers try it again.
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from sqlalchemy import Engine

from domain.db import session_scope
from domain.models import DeliveryStatus, utcnow
from domain.notifications import Defaults, delivery, reminders
from domain.settings import Settings


def moment(value: str | None, settings: Settings) -> datetime:
    """``--at``: an ISO date-time; one without an offset is read in ``SALON_TIMEZONE``."""
    if value is None:
        return utcnow()
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date-time like 2027-01-01T09:00+08:00") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=ZoneInfo(settings.timezone))


def _line(attempt: delivery.Attempt) -> str:
    reason = f"  ({attempt.error})" if attempt.error else ""
    return f"{attempt.status:8} {attempt.kind:20} {attempt.employee_id:12} {attempt.channel:8} {attempt.subject}{reason}"


def run(settings: Settings, engine: Engine, at: datetime, as_json: bool) -> None:
    from plugins.registry import PluginError
    from workers.notifications import installed_channels

    try:
        channels = installed_channels()
    except PluginError as error:
        raise click.ClickException(str(error)) from None
    now = utcnow()
    with session_scope(engine) as session:
        created = reminders.remind(session, at, Defaults.of(settings), channels, with_job=False, now=now)
    with session_scope(engine) as session:
        waiting = delivery.stranded(session, now, due_only=False)  # asked now: no backoff
    report = delivery.deliver(engine, [*created.delivery_ids, *waiting], channels)
    if as_json:
        click.echo(
            json.dumps([attempt.__dict__ for attempt in report.attempts], ensure_ascii=False, indent=2)
        )
    else:
        for attempt in report.attempts:
            click.echo(_line(attempt))
    counts = {status: len(report.having(status)) for status in DeliveryStatus}
    click.echo(
        f"due at {at.isoformat()}: {len(created.notification_ids)} new reminder(s); "
        f"sent {counts[DeliveryStatus.SENT]}, "
        f"waiting {counts[DeliveryStatus.PENDING]} (the workers try again), "
        f"failed {counts[DeliveryStatus.FAILED]}, skipped {counts[DeliveryStatus.SKIPPED]}",
        err=True,
    )
