"""Improvement plans and what is measured of them. A plan's numbers are its department's
aggregates; its people (owner, members) are personal data, shown as a salon's are: records to
those who may see them (audited), names and roles to the organisation's people, nothing to
services."""

from __future__ import annotations

import asyncio
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.audit import refuse
from api.context import Info
from api.locale import LOCALE_ARGUMENT
from api.types.department import Department
from api.types.employee import Employee
from api.types.metric import Metric
from api.types.node import Node
from api.types.reminder import PlanReminder
from domain import models
from domain.periods import Period
from domain.plans.milestones import milestones, plan_start

if TYPE_CHECKING:
    from api.types.salon import Salon


@strawberry.enum(
    description="Where a plan stands: ACHIEVED and MISSED are measured, CANCELLED is people's call."
)
class PlanStatus(Enum):
    ACTIVE = strawberry.enum_value(models.PlanStatus.ACTIVE.value, description="Under way.")
    ACHIEVED = strawberry.enum_value(models.PlanStatus.ACHIEVED.value, description="The goal was reached.")
    MISSED = strawberry.enum_value(
        models.PlanStatus.MISSED.value, description="The deadline passed short of the goal."
    )
    CANCELLED = strawberry.enum_value(
        models.PlanStatus.CANCELLED.value, description="Stopped, with a reason."
    )


@strawberry.type(
    description="A plan's target value for one month or quarter, on even steps from the baseline to the goal."
)
class Milestone:
    period: Period = strawberry.field(description="The month or quarter.")
    target_value: float = strawberry.field(description="The value to reach by then.")
    due: Period = strawberry.field(description="The month it is measured in (a quarter's last month).")


@strawberry.type(description="A month with data after the baseline: how far the plan has come.")
class ProgressPoint:
    period: Period = strawberry.field(description="The month.")
    actual: float = strawberry.field(description="The department's value that month.")
    change_from_baseline: float = strawberry.field(description="The relative change: actual / baseline − 1.")
    remaining_to_goal: float = strawberry.field(
        description="|goalChange − change| until the goal is reached, then 0."
    )
    on_track: bool = strawberry.field(
        description="At least as good as the milestone due that month (the baseline before the first)."
    )
    milestone: float | None = strawberry.field(
        description="The milestone due that month; null before the first."
    )

    @classmethod
    def from_row(cls, row: models.PlanProgress) -> ProgressPoint:
        return cls(
            period=Period.parse(row.period),
            actual=row.actual,
            change_from_baseline=row.change_from_baseline,
            remaining_to_goal=row.remaining_to_goal,
            on_track=row.on_track,
            milestone=row.milestone,
        )


@strawberry.type(
    description="Before and after on a plan's metric, and the difference-in-differences against the "
    "departments that have the metric and no plan on it over the same months (null without them)."
)
class PlanEffect:
    baseline: float = strawberry.field(description="The department's value in the plan's baseline month.")
    current: float = strawberry.field(
        description="Its value in the latest month with data after the baseline."
    )
    current_period: Period = strawberry.field(description="The period of `current`.")
    change: float = strawberry.field(description="The relative change: current / baseline − 1.")
    comparison_change: float | None = strawberry.field(
        description="The mean relative change of departments without a plan on the metric over the same months; "
        "null without any."
    )
    difference_in_differences: float | None = strawberry.field(
        description="The difference in differences, change − comparisonChange: how much more the plan's department moved; null without a comparison."
    )
    comparison_ids: strawberry.Private[list[int]]

    @classmethod
    def from_row(cls, row: models.PlanEffect) -> PlanEffect:
        return cls(
            baseline=row.baseline,
            current=row.current,
            current_period=Period.parse(row.current_period),
            change=row.change,
            comparison_change=row.comparison_change,
            difference_in_differences=row.difference_in_differences,
            comparison_ids=list(row.comparison_department_ids),
        )

    @strawberry.field(description="The departments compared against, by code.")
    async def comparison_departments(self, info: Info) -> list[Department]:
        rows = await info.context.loaders.plans.named_department_by_id.load_many(self.comparison_ids)
        return sorted((Department.from_row(r) for r in rows if r is not None), key=lambda d: d.code)


@strawberry.enum(description="What someone does on a plan.")
class PlanRole(Enum):
    OWNER = strawberry.enum_value("owner", description="Answers for the plan.")
    MEMBER = strawberry.enum_value("member", description="Works on it.")


@strawberry.type(
    description="Someone on a plan, by name and role, for the organisation's people (not services); "
    "`employee` is their record for those who may see it."
)
class PlanPerson:
    name: str = strawberry.field(description="Their name.")
    role: PlanRole = strawberry.field(description="Their role on the plan.")
    employee: Employee | None = strawberry.field(
        description="Their record, for those who may see it; else null."
    )


def _audit(info: Info, plan_id: int, employee_ids) -> None:
    """A plan read that showed people's records: one event for the plan, one per person."""
    employee_ids = sorted(set(employee_ids))
    if employee_ids:
        info.context.audit("read:ImprovementPlan.people", f"plan:{plan_id}")
    for employee_id in employee_ids:
        info.context.audit("read:ImprovementPlan.people", f"employee:{employee_id}")


@strawberry.type(
    description="A goal on one metric of one department, relative to a baseline, with a deadline and people."
)
class ImprovementPlan(Node):
    plan_id: strawberry.ID = strawberry.field(
        description="The plan's number, as `id` gave it before plans were nodes; every argument that "
        "takes a plan takes it, or the global `id`."
    )
    baseline: float = strawberry.field(
        description="The department's value in `baselinePeriod`, fixed at creation."
    )
    baseline_period: Period = strawberry.field(
        description="The last month with data before the salon's month (before the plan's creation without one)."
    )
    goal_change: float = strawberry.field(description="Relative to the baseline: -0.2 is 'down 20%'.")
    goal_value: float = strawberry.field(description="The goal: baseline × (1 + goalChange).")
    deadline: Period = strawberry.field(description="When the goal is due.")
    status: PlanStatus = strawberry.field(description="Where the plan is.")
    status_period: Period | None = strawberry.field(description="The month that decided ACHIEVED or MISSED.")
    milestone_every: str = strawberry.field(description="The milestones' grain: month or quarter.")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled, or null.")
    created_at: datetime = strawberry.field(description="When it was made.")
    row: strawberry.Private[models.ImprovementPlan]

    @classmethod
    def from_row(cls, row: models.ImprovementPlan) -> ImprovementPlan:
        return cls(
            plan_id=strawberry.ID(str(row.id)),
            baseline=row.baseline,
            baseline_period=Period.parse(row.baseline_period),
            goal_change=row.goal_change,
            goal_value=row.goal_value,
            deadline=Period.parse(row.deadline),
            status=PlanStatus(row.status),
            status_period=Period.parse(row.status_period) if row.status_period else None,
            milestone_every=row.milestone_every,
            cancel_reason=row.cancel_reason,
            created_at=row.created_at,
            row=row,
        )

    @property
    def node_key(self) -> str:
        return str(self.row.id)

    @strawberry.field(description="The salon the plan follows, if the viewer may see it.")
    async def salon(self, info: Info) -> Annotated[Salon, strawberry.lazy("api.types.salon")] | None:
        from api.types.salon import Salon

        if self.row.salon_id is None:
            return None
        found = await info.context.loaders.plans.salon_by_id.load(self.row.salon_id)
        return Salon.of(*found, info.context.locale(), info.context.formats) if found else None

    @strawberry.field(description="The department.")
    async def department(self, info: Info) -> Department:
        row = await info.context.loaders.plans.named_department_by_id.load(self.row.department_id)
        return Department.from_row(row)

    @strawberry.field(description="The metric the plan moves.")
    async def metric(self, info: Info) -> Metric:
        return Metric.from_row(await info.context.loaders.metric_by_id.load(self.row.metric_id))

    @strawberry.field(
        description="The person who answers for the plan: for HR, managers of their department and "
        "themselves (audited); others find the owner by name in `people`."
    )
    async def owner(self, info: Info) -> Employee:
        row = await info.context.loaders.employee_by_id.load(self.row.owner_id)
        if row is None:
            raise refuse(
                info,
                "ImprovementPlan.owner",
                f"plan:{self.row.id}",
                "not allowed to read the record of this plan's owner (see `people` for names)",
            )
        _audit(info, self.row.id, [row.employee_id])
        return Employee.from_row(row)

    @strawberry.field(
        description="The members the viewer may see in full (audited; see `people` for every name)."
    )
    async def members(self, info: Info) -> list[Employee]:
        ids = await info.context.loaders.plans.member_ids_by_plan_id.load(self.row.id)
        rows = await info.context.loaders.employee_by_id.load_many(ids)
        shown = [Employee.from_row(row) for row in rows if row is not None]
        _audit(info, self.row.id, (e.employee_id for e in shown))
        return shown

    @strawberry.field(
        description="Everyone on the plan, owner first, by name and role (empty for services); "
        "`employee` only where the viewer may see that person."
    )
    async def people(self, info: Info) -> list[PlanPerson]:
        if not info.context.viewer.sees_salon_people:
            return []
        member_ids = await info.context.loaders.plans.member_ids_by_plan_id.load(self.row.id)
        roles = [(self.row.owner_id, PlanRole.OWNER)] + [(i, PlanRole.MEMBER) for i in member_ids]
        ids = [i for i, _ in roles]
        loaders = info.context.loaders
        names, rows = await asyncio.gather(
            loaders.plans.named_person_by_id.load_many(ids), loaders.employee_by_id.load_many(ids)
        )
        found = [
            PlanPerson(name=name.name, role=role, employee=Employee.from_row(row) if row else None)
            for (_, role), name, row in zip(roles, names, rows, strict=True)
            if name is not None
        ]
        _audit(info, self.row.id, (p.employee.employee_id for p in found if p.employee))
        return found

    @strawberry.field(description="From the month after the salon (or the plan's creation) to the deadline.")
    async def milestones(self, info: Info) -> list[Milestone]:
        month = None
        if self.row.salon_id is not None:
            month = await info.context.loaders.plans.salon_month_by_id.load(self.row.salon_id)
        start = plan_start(self.row, month)
        steps = milestones(
            self.row.baseline, self.row.goal_value, start, self.deadline, self.row.milestone_every
        )
        return [Milestone(period=m.period, target_value=m.target_value, due=m.due) for m in steps]

    @strawberry.field(
        description="Every month with data after the baseline, oldest first (computed by the workers)."
    )
    async def progress(self, info: Info) -> list[ProgressPoint]:
        rows = await info.context.loaders.plans.progress_by_plan_id.load(self.row.id)
        return [ProgressPoint.from_row(row) for row in rows]

    @strawberry.field(
        description="When its owner and members are reminded of it, in its department's time zone."
    )
    async def reminder(self, info: Info) -> PlanReminder:
        found = await info.context.loaders.plans.reminder_by_plan_id.load(self.row.id)
        return PlanReminder.of(found)

    @strawberry.field(description="Where the plan stands, in words, as HR says it.")
    async def report(self, info: Info, locale: LOCALE_ARGUMENT = None) -> str:
        from domain.plans.report import plan_report

        chosen = info.context.locale(locale)
        return await info.context.read(lambda session: plan_report(session, self.row.id, chosen))

    @strawberry.field(
        description="The measured effect; null until the workers have a month after the baseline."
    )
    async def effect(self, info: Info) -> PlanEffect | None:
        row = await info.context.loaders.plans.effect_by_plan_id.load(self.row.id)
        return PlanEffect.from_row(row) if row else None
