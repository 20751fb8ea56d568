"""The monthly planner's scheduler: every worker process checks, one of them plans.

A Dramatiq middleware, so it runs wherever a worker runs (the server's embedded worker and
``salon worker``'s processes) with nothing else to deploy. From ``SALON_PLAN_DAY`` of a month
on, each check asks whether the month is planned yet; the first process to insert the month's
``PlanningClaim`` row enqueues ``plan_month``, every other one hits the primary key and moves
on. A month is claimed only once there is data before it to plan from. A worker started
later in the month catches up on its first check.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import dramatiq
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from domain.db import session_scope
from domain.jobs import PLAN_MONTH, create_job
from domain.models import PlanningClaim
from domain.periods import Period
from domain.salons.planning import resolve_period
from workers.periodic import Periodic
from workers.relay import send_now

log = logging.getLogger(__name__)
CHECK_SECONDS = 15 * 60


def due_month(today: date, plan_day: int) -> str | None:
    """The month to plan on ``today``: the current one from its ``plan_day`` on."""
    return f"{today.year}-{today.month:02d}" if today.day >= plan_day else None


def claim(engine: Engine, month: str, actor_name: str) -> str | None:
    """Claim ``month`` and create its planning job; the job id, or None when there is nothing to
    plan from or another process claimed it first."""
    with Session(engine) as session:
        if resolve_period(session, Period.parse(month)) is None:
            return None
    try:
        with session_scope(engine) as session:
            job = create_job(session, actor_name, {"month": month, "department_codes": None, "formats": None})
            session.add(PlanningClaim(month=month, job_id=job.id))
            session.flush()
            return job.id
    except IntegrityError:
        return None


def check(engine: Engine, broker: dramatiq.Broker, plan_day: int, today: date | None = None) -> str | None:
    """One check: enqueue the due month's planning if nobody has; returns the job id it sent."""
    month = due_month(today or datetime.now(UTC).date(), plan_day)
    if month is None or PLAN_MONTH not in broker.get_declared_actors():
        return None
    job_id = claim(engine, month, PLAN_MONTH)
    if job_id is not None:
        send_now(engine, job_id, broker)  # an outbox row: a relay sends it if this fails
        log.info("scheduled the planning of %s (job %s)", month, job_id)
    return job_id


class PlanningScheduler(Periodic):
    """Checks at worker boot, then every ``interval`` seconds, until the worker shuts down."""

    thread_name = "salon-plan-scheduler"

    def __init__(self, engine_factory, plan_day: int, interval: float = CHECK_SECONDS) -> None:
        super().__init__(engine_factory, interval)
        self.plan_day = plan_day

    def tick(self, broker) -> None:
        check(self.engine_factory(), broker, self.plan_day)
