"""Progress reports: when newly imported data moves a plan, its owner and its department's
managers read where it stands — at most once per plan per month.

"Moves" is decided by the recompute (``workers.plan_results``): the plan's latest progress
point is new or its value changed. The month is the current one in the plan department's time
zone, and it is part of the message's key, so a second import that month adds nothing. A
department's managers are the people its staff report to (``Employee.manager_id``), as for a
manager's access (``api.viewer.manager_refusal``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from domain.models import Employee, ImprovementPlan, NotificationKind, PlanStatus
from domain.notifications import Defaults
from domain.notifications.outbox import Created, add, people
from domain.notifications.reminders import plan_draft
from domain.notifications.zones import department_zones
from plugins.channels import NotificationChannel


def department_managers(session: Session, department_id: int) -> list[int]:
    """Who the department's staff report to, by row id."""
    statement = (
        select(Employee.manager_id)
        .where(col(Employee.department_id) == department_id, col(Employee.manager_id).is_not(None))
        .distinct()
    )
    return sorted(session.exec(statement))


def report(
    session: Session,
    plan_ids: Collection[int],
    defaults: Defaults,
    channels: Mapping[str, NotificationChannel],
    now: datetime,
) -> Created:
    """The progress of ``plan_ids`` to their owners and managers, unless sent this month."""
    plans = session.exec(
        select(ImprovementPlan)
        .where(col(ImprovementPlan.id).in_(sorted(set(plan_ids))))
        .where(col(ImprovementPlan.status) != PlanStatus.CANCELLED.value)
        .order_by(col(ImprovementPlan.id))
    ).all()
    zones = department_zones(session, defaults.timezone)
    drafts, recipients = [], {}
    for plan in plans:
        month = now.astimezone(zones.get(plan.department_id, ZoneInfo(defaults.timezone))).strftime("%Y-%m")
        found = people(
            session, [plan.owner_id, *department_managers(session, plan.department_id)], defaults.locale
        )
        recipients |= found
        key = f"plan:{plan.id}:progress:{month}"
        drafts += [
            plan_draft(session, plan, p, NotificationKind.PROGRESS_REPORT, key) for p in found.values()
        ]
    return add(session, drafts, recipients, channels, now)
