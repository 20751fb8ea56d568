"""Making, changing and cancelling improvement plans — what people do; the workers measure.

Every change commits, in its own transaction, the ``plan_progress`` job that brings the plan's
progress, effect and status up to date (an outbox row, ``domain.jobs``): both commit or
neither does. :func:`commit_and_send` commits and only then hands the job to ``send``.

Who may be on a plan: its owner answers for the department's number, so they work in the
department (its subtree); members may also come from the salon the plan follows — its other
departments and its host, whose people shared what worked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select

from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.jobs import PLAN_PROGRESS, create_job
from domain.models import (
    Department,
    ImprovementPlan,
    Metric,
    MilestoneEvery,
    PlanMember,
    PlanStatus,
    Salon,
    SalonDepartment,
    SalonStatus,
    utcnow,
)
from domain.notifications.reminders import Reminder, set_reminder
from domain.organisation import DepartmentTree, people_in
from domain.periods import Period
from domain.plans.baseline import Baseline, find_baseline, goal_value
from domain.plans.milestones import deadline_month, plan_start
from domain.salons.lifecycle import salon_people_departments

MAX_MONTHS = 60  # a plan's deadline is at most five years after its first month
REASON_LIMIT = 500
FOLLOWED = {SalonStatus.HELD.value, SalonStatus.CLOSED.value}  # a plan follows a salon that took place

Send = Callable[[Engine, str], object]  # sends a committed job's message; never raises


class PlanError(InvalidArgument):
    """A plan cannot be made or changed as asked; the message says why."""


@dataclass(frozen=True)
class PlanDraft:
    department_code: str
    metric_code: str
    goal_change: float
    deadline: Period
    owner_id: str
    member_ids: Sequence[str]
    milestone_every: str = MilestoneEvery.MONTH.value
    salon_id: int | None = None
    reminder: Reminder | None = None  # None: the default cadence (monthly, the 1st, 09:00)


@dataclass(frozen=True)
class PlanUpdate:
    """What to change; None keeps the plan's own. The baseline never changes."""

    goal_change: float | None = None
    deadline: Period | None = None
    owner_id: str | None = None
    member_ids: Sequence[str] | None = None
    milestone_every: str | None = None
    reminder: Reminder | None = None

    @property
    def empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class PlanChange:
    plan: ImprovementPlan
    job_id: str  # the plan_progress job committed with it


def commit_and_send(engine: Engine, change: Callable[[Session], PlanChange], send: Send) -> int:
    """Run ``change`` in one transaction, then send its job: the plan's id."""
    with session_scope(engine) as session:
        done = change(session)
        plan_id, job_id = done.plan.id, done.job_id
    send(engine, job_id)
    return plan_id


def _every(value: str) -> str:
    try:
        return MilestoneEvery(value).value
    except ValueError:
        known = ", ".join(repr(e.value) for e in MilestoneEvery)
        raise PlanError(f"must be one of {known}, got {value!r}", field="milestone_every") from None


def _check_deadline(plan: ImprovementPlan, salon_month: str | None) -> None:
    """The deadline ends on or after the first milestone month, and within ``MAX_MONTHS``."""
    start = plan_start(plan, salon_month)
    end = deadline_month(Period.parse(plan.deadline))
    if end < start:
        raise PlanError(f"{plan.deadline} is before the plan's first month {start}", field="deadline")
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
        raise PlanError(f"at most {MAX_MONTHS} months from the plan's first month {start}", field="deadline")


def _department_people(session: Session, plan: ImprovementPlan) -> frozenset[int]:
    return DepartmentTree.read(session).below([plan.department_id])


def _set_owner(session: Session, plan: ImprovementPlan, owner_id: str) -> None:
    found = people_in(
        session,
        [owner_id.strip()],
        _department_people(session, plan),
        field="owner_id",
        whose="the plan's department",
    )
    plan.owner_id = next(iter(found.values())).id


def _set_members(
    session: Session, plan: ImprovementPlan, salon: Salon | None, member_ids: Sequence[str]
) -> None:
    """Replace the members (the plan is flushed: it has its id)."""
    where, whose = _department_people(session, plan), "the plan's department"
    if salon is not None:
        where, whose = (
            where | salon_people_departments(session, salon),
            "the plan's department or its salon's",
        )
    members = people_in(session, [m.strip() for m in member_ids], where, field="member_ids", whose=whose)
    session.exec(delete(PlanMember).where(col(PlanMember.plan_id) == plan.id))
    session.add_all(PlanMember(plan_id=plan.id, employee_id=person.id) for person in members.values())


def _job(session: Session, plan: ImprovementPlan) -> PlanChange:
    session.flush()
    return PlanChange(plan, create_job(session, PLAN_PROGRESS, {"plan_ids": [plan.id]}).id)


def _followed_salon(session: Session, salon_id: int, department_id: int) -> Salon:
    salon = session.get(Salon, salon_id)
    attends = salon is not None and session.get(SalonDepartment, (salon_id, department_id)) is not None
    if salon is None or not attends:
        raise PlanError(f"no salon {salon_id} that the plan's department attends", field="salon_id")
    if salon.status not in FOLLOWED:
        raise PlanError(
            f"salon {salon_id} is {salon.status}: a plan follows a salon that was held", field="salon_id"
        )
    return salon


def create(
    session: Session,
    draft: PlanDraft,
    created_by: str,
    department_ids: Collection[int] | None = None,
    *,
    now: datetime | None = None,
) -> PlanChange:
    """A new ACTIVE plan for a department the caller speaks for (``department_ids``, all when None)."""
    department = session.exec(select(Department).where(Department.code == draft.department_code)).first()
    if department is None or (department_ids is not None and department.id not in department_ids):
        raise PlanError(f"no department {draft.department_code!r} in your scope", field="department_code")
    metric = session.exec(select(Metric).where(Metric.code == draft.metric_code)).first()
    if metric is None:
        raise PlanError(f"unknown metric {draft.metric_code!r}", field="metric_code")
    now = now or utcnow()
    salon = _followed_salon(session, draft.salon_id, department.id) if draft.salon_id is not None else None
    before = Period.parse(salon.month) if salon else Period(now.year, month=now.month)
    baseline = find_baseline(session, department.id, metric.id, before)
    if baseline is None:
        raise PlanError(
            f"no value of {metric.name} for {department.code} before {before}: a plan needs a baseline",
            field="metric_code",
        )
    plan = ImprovementPlan(
        salon_id=salon.id if salon else None,
        department_id=department.id,
        metric_id=metric.id,
        owner_id=0,  # set by _set_owner before the plan is written
        baseline=baseline.value,
        baseline_period=str(baseline.period),
        goal_change=draft.goal_change,
        goal_value=goal_value(baseline, draft.goal_change, metric.direction, metric.name),
        deadline=str(draft.deadline),
        milestone_every=_every(draft.milestone_every),
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    _check_deadline(plan, salon.month if salon else None)
    _set_owner(session, plan, draft.owner_id)
    session.add(plan)
    session.flush()
    _set_members(session, plan, salon, draft.member_ids)
    if draft.reminder is not None:
        set_reminder(session, plan.id, draft.reminder, created_by, now)
    return _job(session, plan)


def _changeable(session: Session, plan_id: int, department_ids: Collection[int] | None) -> ImprovementPlan:
    statement = select(ImprovementPlan).where(ImprovementPlan.id == plan_id).with_for_update()
    if department_ids is not None:
        statement = statement.where(col(ImprovementPlan.department_id).in_(department_ids))
    plan = session.exec(statement).first()
    if plan is None:
        whose = "" if department_ids is None else " in your departments"
        raise PlanError(f"no plan {plan_id}{whose}", field="id")
    if plan.status == PlanStatus.CANCELLED.value:
        raise PlanError(f"plan {plan_id} is cancelled: it no longer changes", field="id")
    return plan


def update(
    session: Session,
    plan_id: int,
    change: PlanUpdate,
    department_ids: Collection[int] | None = None,
    by: str = "",
) -> PlanChange:
    """Change a plan's goal, deadline, people, milestone step or reminder; its baseline stays."""
    if change.empty:
        raise PlanError("nothing to change: give at least one field", field="input")
    plan = _changeable(session, plan_id, department_ids)
    salon = session.get(Salon, plan.salon_id) if plan.salon_id is not None else None
    if change.goal_change is not None:
        metric = session.get(Metric, plan.metric_id)
        baseline = Baseline(Period.parse(plan.baseline_period), plan.baseline)
        plan.goal_value = goal_value(baseline, change.goal_change, metric.direction, metric.name)
        plan.goal_change = change.goal_change
    if change.deadline is not None:
        plan.deadline = str(change.deadline)
    if change.milestone_every is not None:
        plan.milestone_every = _every(change.milestone_every)
    _check_deadline(plan, salon.month if salon else None)
    if change.owner_id is not None:
        _set_owner(session, plan, change.owner_id)
    if change.member_ids is not None:
        _set_members(session, plan, salon, change.member_ids)
    if change.reminder is not None:
        set_reminder(session, plan.id, change.reminder, by or plan.created_by)
    plan.updated_at = utcnow()
    session.add(plan)
    return _job(session, plan)


def cancel(
    session: Session, plan_id: int, reason: str, department_ids: Collection[int] | None = None
) -> PlanChange:
    """ACTIVE, ACHIEVED or MISSED → CANCELLED, saying why: a person's decision no rebuild undoes."""
    reason = reason.strip()
    if not reason:
        raise PlanError("must not be empty", field="reason")
    if len(reason) > REASON_LIMIT:
        raise PlanError(f"at most {REASON_LIMIT} characters", field="reason")
    plan = _changeable(session, plan_id, department_ids)
    plan.status = PlanStatus.CANCELLED.value
    plan.cancel_reason = reason
    plan.updated_at = utcnow()
    session.add(plan)
    return _job(session, plan)
