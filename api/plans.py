"""Improvement plans, practices, reports and the signed-in person, of the root schema.

Plans are read through the viewer's plan scope (``api.viewer.where_viewer_sees_plans``): HR
all, managers their subtree's, services their scope's (without people), employees those they
own or are members of. Practices and department reports are aggregates of a department: for
whoever sees the department. Plans are made and changed by HR and by managers of the plan's
department; each change commits its ``plan_progress`` job and sends it after the commit.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from anyio import to_thread
from sqlmodel import Session, col, select

from api.context import Info
from api.locale import LOCALE_ARGUMENT
from api.salons import department_id_in_scope, row_id
from api.tokens import Role
from api.types.employee import Employee
from api.types.outcome import Practice
from api.types.plan import ImprovementPlan, PlanStatus
from api.types.reminder import PlanReminderInput
from api.viewer import Viewer, where_viewer_sees_departments, where_viewer_sees_plans
from domain import models
from domain.errors import InvalidArgument
from domain.periods import Period
from domain.plans import service
from domain.plans.service import PlanDraft, PlanUpdate
from workers.relay import send_now


@strawberry.input(description="A new improvement plan.")
class PlanInput:
    salon_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The held salon it follows (its number or its global id); its month sets the baseline.",
    )
    department_code: str = strawberry.field(description="The department whose metric the plan moves.")
    metric_code: str = strawberry.field(description="The metric.")
    goal_change: float = strawberry.field(description='Relative to the baseline: -0.2 = "bug rate down 20%".')
    deadline: Period = strawberry.field(
        description="A month or a quarter, on or after the first milestone month."
    )
    owner_id: str = strawberry.field(description="An employee of the department (or below it).")
    member_ids: list[str] = strawberry.field(
        description="Employees of the department, or of the salon's departments and host."
    )
    milestone_every: str | None = strawberry.field(
        default="month", description="The milestones' grain: month or quarter."
    )
    reminder: PlanReminderInput | None = strawberry.field(
        default=None,
        description="When its owner and members are reminded; default monthly on the 1st at 09:00.",
    )


@strawberry.input(
    description="What to change in a plan; a field left out (or null) stays. The baseline never changes."
)
class PlanUpdateInput:
    goal_change: float | None = strawberry.field(
        default=None, description="A new goal relative to the baseline; omitted keeps it."
    )
    deadline: Period | None = strawberry.field(default=None, description="A new deadline; omitted keeps it.")
    owner_id: str | None = strawberry.field(
        default=None, description="A new owner's employee id; omitted keeps them."
    )
    member_ids: list[str] | None = strawberry.field(
        default=None, description="The members' employee ids; omitted keeps them."
    )
    milestone_every: str | None = strawberry.field(
        default=None, description="The milestones' grain, month or quarter; omitted keeps it."
    )
    reminder: PlanReminderInput | None = strawberry.field(
        default=None, description="A new reminder cadence; omitted keeps it."
    )


PLAN_ID = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="The plan: its number (`ImprovementPlan.planId`) or its global id (`ImprovementPlan.id`)."
    ),
]


def _plan_id(value: strawberry.ID) -> int:
    return row_id(value, "id", "plan", "ImprovementPlan")


def _metric_id(session: Session, code: str) -> int:
    found = session.exec(select(models.Metric.id).where(models.Metric.code == code)).first()
    if found is None:
        raise InvalidArgument(f"metricCode: unknown metric {code!r}")
    return found


@strawberry.type
class PlanQuery:
    @strawberry.field(description="One improvement plan by id; null when there is none the viewer may see.")
    async def plan(self, info: Info, id: PLAN_ID) -> ImprovementPlan | None:  # noqa: A002
        statement = where_viewer_sees_plans(
            select(models.ImprovementPlan).where(models.ImprovementPlan.id == _plan_id(id)),
            info.context.viewer,
        )
        row = await info.context.read(lambda s: s.exec(statement).first())
        return ImprovementPlan.from_row(row) if row else None

    @strawberry.field(
        description="The improvement plans the viewer may see, optionally of one department or status."
    )
    async def plans(
        self,
        info: Info,
        department_code: Annotated[
            str | None, strawberry.argument(description="Only plans of this department.")
        ] = None,
        status: Annotated[
            PlanStatus | None, strawberry.argument(description="Only plans in this state.")
        ] = None,
    ) -> list[ImprovementPlan]:
        viewer = info.context.viewer

        def read(session: Session):
            statement = select(models.ImprovementPlan).order_by(col(models.ImprovementPlan.id))
            if department_code is not None:
                department_id = department_id_in_scope(session, viewer, department_code)
                statement = statement.where(models.ImprovementPlan.department_id == department_id)
            if status is not None:
                statement = statement.where(models.ImprovementPlan.status == status.value)
            return session.exec(where_viewer_sees_plans(statement, viewer)).all()

        return [ImprovementPlan.from_row(row) for row in await info.context.read(read)]

    @strawberry.field(
        description="Practices salons adopted, newest salon first, of the departments the viewer sees; "
        "optionally on one metric."
    )
    async def practices(
        self,
        info: Info,
        metric_code: Annotated[
            str | None, strawberry.argument(description="Only practices on this metric.")
        ] = None,
    ) -> list[Practice]:
        viewer = info.context.viewer

        def read(session: Session):
            statement = (
                select(models.Practice)
                .join(models.Salon, col(models.Salon.id) == col(models.Practice.salon_id))
                .order_by(
                    col(models.Salon.month).desc(),
                    col(models.Practice.salon_id),
                    col(models.Practice.position),
                )
            )
            if metric_code is not None:
                statement = statement.where(models.Practice.metric_id == _metric_id(session, metric_code))
            statement = where_viewer_sees_departments(statement, viewer, models.Practice.department_id)
            return session.exec(statement).all()

        return [Practice.from_row(row) for row in await info.context.read(read)]

    @strawberry.field(
        description="A department's month in words: its plans' progress, its gaps, and the causes its "
        "feedback names, with their shares. For whoever sees the department's aggregates."
    )
    async def department_report(
        self,
        info: Info,
        department_code: Annotated[str, strawberry.argument(description="The department's code.")],
        period: Annotated[Period, strawberry.argument(description="The month or quarter.")],
        locale: LOCALE_ARGUMENT = None,
    ) -> str:
        chosen = info.context.locale(locale)
        viewer = info.context.viewer

        def read(session: Session) -> str:
            department_id = department_id_in_scope(session, viewer, department_code)
            from domain.plans.report import department_report

            return department_report(session, department_id, str(period), chosen)

        return await info.context.read(read)

    @strawberry.field(
        description="The signed-in person's own record (with `salons` and `plans`); null for a service or "
        "an account that is no employee (audited)."
    )
    async def me(self, info: Info) -> Employee | None:
        viewer = info.context.viewer
        if viewer.role is Role.SERVICE:
            return None
        statement = select(models.Employee).where(models.Employee.employee_id == viewer.subject)
        row = await info.context.read(lambda s: s.exec(statement).first())
        if row is None or row.erased_at is not None:
            return None
        info.context.audit("read:Employee", f"employee:{row.employee_id}")
        return Employee.from_row(row)


def _plan_scope(info: Info, action: str) -> frozenset[int] | None:
    """The departments the viewer makes plans for: HR all (None), a manager their subtree."""
    viewer: Viewer = info.context.viewer
    viewer.require(Role.HR_ADMIN, Role.MANAGER, action=action)
    return viewer.department_ids


async def _apply(info: Info, change) -> ImprovementPlan:
    """Run ``change`` (session → PlanChange), commit, send its job, and answer with the plan."""
    engine = info.context.engine

    def run() -> models.ImprovementPlan:
        plan_id = service.commit_and_send(engine, change, send_now)
        with Session(engine) as session:
            return session.get(models.ImprovementPlan, plan_id)

    row = await to_thread.run_sync(run)
    info.context.audit(f"mutation:{info.field_name}", f"plan:{row.id}")
    return ImprovementPlan.from_row(row)


@strawberry.type
class PlanMutation:
    @strawberry.mutation(
        description="Make an improvement plan (HR, or a manager of the department): its baseline is the "
        "department's value in the last month with data before the salon's month (before today's without one)."
    )
    async def create_improvement_plan(
        self, info: Info, input: Annotated[PlanInput, strawberry.argument(description="The plan.")]
    ) -> ImprovementPlan:  # noqa: A002
        scope = _plan_scope(info, "createImprovementPlan")
        viewer = info.context.viewer
        draft = PlanDraft(
            salon_id=None if input.salon_id is None else row_id(input.salon_id, "salonId"),
            department_code=input.department_code,
            metric_code=input.metric_code,
            goal_change=input.goal_change,
            deadline=input.deadline,
            owner_id=input.owner_id,
            member_ids=input.member_ids,
            milestone_every=input.milestone_every or "month",
            reminder=input.reminder.to_domain() if input.reminder is not None else None,
        )

        def change(session: Session):
            department_id_in_scope(session, viewer, input.department_code)  # refused as out of scope first
            return service.create(session, draft, viewer.subject, scope)

        return await _apply(info, change)

    @strawberry.mutation(
        description="Change a plan's goal, deadline, people or milestone step (its baseline stays)."
    )
    async def update_improvement_plan(
        self,
        info: Info,
        id: PLAN_ID,
        input: Annotated[
            PlanUpdateInput, strawberry.argument(description="What changes; omitted fields stay.")
        ],  # noqa: A002
    ) -> ImprovementPlan:
        scope = _plan_scope(info, "updateImprovementPlan")
        update = PlanUpdate(
            goal_change=input.goal_change,
            deadline=input.deadline,
            owner_id=input.owner_id,
            member_ids=input.member_ids,
            milestone_every=input.milestone_every,
            reminder=input.reminder.to_domain() if input.reminder is not None else None,
        )
        by = info.context.viewer.subject
        return await _apply(info, lambda session: service.update(session, _plan_id(id), update, scope, by))

    @strawberry.mutation(description="Cancel a plan, saying why: no measurement undoes it.")
    async def cancel_improvement_plan(
        self,
        info: Info,
        id: PLAN_ID,
        reason: Annotated[str, strawberry.argument(description="Why it is stopped.")],  # noqa: A002
    ) -> ImprovementPlan:
        scope = _plan_scope(info, "cancelImprovementPlan")
        return await _apply(info, lambda session: service.cancel(session, _plan_id(id), reason, scope))
