"""The actors. Thin shells: load by id, call a pure function, let ``JobTracking`` record it.

They are retried for as long as ``SALON_JOB_RETRY_MINUTES`` (``max_retries=None``: the budget is
time, see ``workers.retry_budget``), so an outage of the database outlasts no job.

Importing this module declares the actors on the global broker, which is configured from
the settings here if nobody configured it before (the ``dramatiq workers.actors`` CLI path).
"""

from __future__ import annotations

import os
import socket

import dramatiq
import polars as pl
from sqlmodel import Session, func, select

from domain import logs
from domain.jobs import (
    DELIVER_NOTIFICATIONS,
    PLAN_MONTH,
    PLAN_PROGRESS,
    PROGRAMME_METRICS,
    RECOMPUTE,
    REPORT_PROGRESS,
    SUMMARISE_DATA,
    SYNC_INVITATIONS,
)
from domain.models import Department, Employee, Metric
from workers import broker, fanout, notifications, relay, runtime
from workers.analytics.summary import summarise_observations
from workers.rebuild import rebuild, rebuild_plans, rebuild_programme_metrics
from workers.salons import plan

if dramatiq.broker.global_broker is None:
    broker.setup(runtime.settings())
    logs.escape_root_handlers()  # the `dramatiq workers.actors` CLI path: its processes' logging

QUEUE = runtime.settings().queue  # one queue per deployment sharing a broker
# Every actor's options, in one place: retried within the time budget (``max_retries=None``,
# see ``workers.retry_budget``), backoff from 1 s to a minute, stopped after half an hour.
JOB_OPTIONS: dict[str, object] = {
    "queue_name": QUEUE,
    "max_retries": None,
    "min_backoff": 1_000,
    "max_backoff": 60_000,
    "time_limit": 30 * 60_000,
}


@dramatiq.actor(actor_name=SUMMARISE_DATA, **JOB_OPTIONS)
def summarise_data(job_id: str) -> dict[str, object]:
    """Count what was imported; the first job a fresh installation runs."""
    engine = runtime.engine()
    with Session(engine) as session:
        counts = {
            name: session.exec(select(func.count()).select_from(model)).one()
            for name, model in (("departments", Department), ("employees", Employee), ("metrics", Metric))
        }
    per_metric = pl.read_database(
        "SELECT metric_id, count(*) AS rows, count(employee_id) AS employee_rows,"
        " min(period) AS first_period, max(period) AS last_period"
        " FROM observation GROUP BY metric_id",
        connection=engine,
        schema_overrides={"rows": pl.Int64, "employee_rows": pl.Int64},
    )
    return {**counts, "observations": summarise_observations(per_metric)}


@dramatiq.actor(actor_name=RECOMPUTE, **JOB_OPTIONS)
def recompute(job_id: str, scope: dict | None = None, part: str | None = None) -> dict[str, object]:
    """Rebuild the results of ``scope`` (see ``workers.rebuild``); None means all.

    ``scope`` may hold lists ``metric_codes``, ``department_codes`` and ``periods``
    (``YYYY-MM`` or ``YYYY-Qn``); a missing list means the whole axis, unknown codes match
    nothing. Over several metrics it fans out into one part per metric (``workers.fanout``);
    ``part`` is set on those parts' messages.
    """
    engine = runtime.engine()
    if part is not None:  # which process ran it: operators (and tests) see how parts were shared
        return rebuild(engine, scope, part=part) | {"worker": f"{socket.gethostname()}:{os.getpid()}"}

    return fanout.run(engine, job_id, scope, lambda part: relay.send_now(engine, part.id))


@dramatiq.actor(
    actor_name=PLAN_MONTH,
    **JOB_OPTIONS,
    throws=(ValueError,),  # bad input is not retried
)
def plan_month(
    job_id: str, month: str, department_codes: list[str] | None = None, formats: list[str] | None = None
) -> dict[str, object]:
    """Propose each department's salon for ``month`` (see ``domain.salons.planning``)."""
    return plan(job_id, month, department_codes, formats)


@dramatiq.actor(actor_name=PLAN_PROGRESS, **JOB_OPTIONS, throws=(ValueError,))  # bad input is not retried
def plan_progress(job_id: str, plan_ids: list[int]) -> dict[str, object]:
    """Rebuild the progress, effect and status of the plans on ``plan_ids``' metrics (see
    ``workers.rebuild.rebuild_plans``): a plan was made, changed or cancelled."""
    return rebuild_plans(runtime.engine(), plan_ids)


@dramatiq.actor(actor_name=PROGRAMME_METRICS, **JOB_OPTIONS, throws=(ValueError,))  # bad input is not retried
def programme_metrics(job_id: str, periods: list[str] | None = None) -> dict[str, object]:
    """Rebuild the programme metrics of the periods ``periods`` (months) lie in, or of all
    (see ``workers.rebuild.rebuild_programme_metrics``): a contribution, an attendance or a
    rating changed them."""
    return rebuild_programme_metrics(runtime.engine(), periods)


@dramatiq.actor(actor_name=SYNC_INVITATIONS, **JOB_OPTIONS, throws=(ValueError,))
def sync_invitations(job_id: str, salon_id: int) -> dict[str, object]:
    """Tell a salon's people what changed: invitations, updates, cancellations (see
    ``domain.notifications.invitations``)."""
    return notifications.sync_invitations(runtime.engine(), salon_id)


@dramatiq.actor(actor_name=REPORT_PROGRESS, **JOB_OPTIONS, throws=(ValueError,))
def report_progress(job_id: str, plan_ids: list[int]) -> dict[str, object]:
    """New data moved ``plan_ids``: their owners and managers read the progress."""
    return notifications.report_progress(runtime.engine(), plan_ids)


@dramatiq.actor(actor_name=DELIVER_NOTIFICATIONS, **JOB_OPTIONS)
def deliver_notifications(job_id: str, delivery_ids: list[int]) -> dict[str, object]:
    """Send the deliveries; retried with backoff while a channel fails (``workers.notifications``)."""
    return notifications.deliver(runtime.engine(), delivery_ids)
