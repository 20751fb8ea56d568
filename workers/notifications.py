"""The workers' side of notifications: the actors' bodies and the periodic check.

Channels are loaded from the plugins for each job, as salon formats are for planning, so a
newly installed channel (or a changed SMTP setting) is used without restarting the workers.

- ``sync_invitations``: what a salon's change means for its people (``domain.notifications
  .invitations``), then the delivery job it committed, sent right away;
- ``report_progress``: the plans new data moved, to their owners and managers;
- ``deliver_notifications``: send the deliveries; any left pending (a mail server down) fail the
  message so that Dramatiq retries it with its backoff, within the job retry budget. After
  that the deliveries are not lost: :func:`check` hands those no live job answers for to a new
  one.
- :func:`check` (every ``SALON_REMIND_MINUTES`` in every worker, and ``salon remind``): the plan
  reminders due, and stranded deliveries.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from datetime import datetime

import dramatiq
from sqlalchemy import Engine

from domain.db import session_scope
from domain.errors import UserError
from domain.models import utcnow
from domain.notifications import Defaults, delivery, invitations, progress, reminders
from domain.notifications.outbox import Created, assign_job
from plugins.channels import NotificationChannel
from plugins.registry import by_key, get_plugin_manager, load_channels
from workers import runtime
from workers.periodic import Periodic
from workers.relay import send_now

log = logging.getLogger(__name__)


class DeliveryDeferred(UserError):
    """Some deliveries could not be sent yet; the job is retried (their errors are on them)."""


def installed_channels() -> dict[str, NotificationChannel]:
    return by_key(load_channels(get_plugin_manager()))


def defaults() -> Defaults:
    return Defaults.of(runtime.settings())


def _summary(created: Created) -> dict[str, object]:
    return {
        "notifications": len(created.notification_ids),
        "deliveries": len(created.delivery_ids),
        "delivery_job": created.job_id,
    }


def sync_invitations(
    engine: Engine, salon_id: int, broker: dramatiq.Broker | None = None
) -> dict[str, object]:
    with session_scope(engine) as session:
        created = invitations.sync(session, salon_id, defaults(), installed_channels(), utcnow())
    if created.job_id:
        send_now(engine, created.job_id, broker)
    return {"salon_id": salon_id, **_summary(created)}


def report_progress(
    engine: Engine, plan_ids: list[int], broker: dramatiq.Broker | None = None
) -> dict[str, object]:
    with session_scope(engine) as session:
        created = progress.report(session, plan_ids, defaults(), installed_channels(), utcnow())
    if created.job_id:
        send_now(engine, created.job_id, broker)
    return {"plan_ids": plan_ids, **_summary(created)}


def deliver(
    engine: Engine, delivery_ids: list[int], channels: Mapping[str, NotificationChannel] | None = None
) -> dict[str, object]:
    report = delivery.deliver(engine, delivery_ids, installed_channels() if channels is None else channels)
    counts = dict(Counter(attempt.status for attempt in report.attempts))
    if report.deferred:
        first = report.deferred[0]
        raise DeliveryDeferred(
            f"{len(report.deferred)} delivery(ies) not sent yet, tried again later "
            f"(delivery {first.delivery_id} on {first.channel}: {first.error})"
        )
    return counts


def check(
    engine: Engine,
    broker: dramatiq.Broker | None = None,
    at: datetime | None = None,
    channels: Mapping[str, NotificationChannel] | None = None,
) -> dict[str, object]:
    """Create the reminders due at ``at`` (default now) and hand stranded deliveries to a new
    job; send the jobs. Idempotent: a second check, anywhere, finds nothing more to do."""
    now = utcnow()
    channels = installed_channels() if channels is None else channels
    with session_scope(engine) as session:
        created = reminders.remind(session, at or now, defaults(), channels, now=now)
    jobs = [created.job_id] if created.job_id else []
    with session_scope(engine) as session:
        stranded = delivery.stranded(session, now)
        if stranded:
            jobs.append(assign_job(session, stranded))
    for job_id in jobs:
        send_now(engine, job_id, broker)
    return {"reminders": len(created.notification_ids), "stranded": len(stranded), "jobs": jobs}


class ReminderScheduler(Periodic):
    """Runs :func:`check` at worker boot, then every ``interval`` seconds, in every worker
    process (the outbox makes them agree: one message per person, whoever checks first)."""

    thread_name = "salon-reminder-scheduler"

    def tick(self, broker) -> None:
        done = check(self.engine_factory(), broker)
        if done["jobs"]:
            log.info("reminders: %s", done)
