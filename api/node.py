"""``Query.node``: refetch any entity by its global id (:mod:`api.types.node`).

The role rules are the ones of each type's own field: out of scope reads as null, exactly as
an unknown id does (``node`` never tells that something exists), and a person's record read
this way is audited like any other read of it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from sqlmodel import select

from api.context import Info
from api.types.department import Department
from api.types.employee import Employee
from api.types.gap import Gap
from api.types.job import Job
from api.types.metric import Metric
from api.types.node import Node, numeric_id, split_global_id
from api.types.plan import ImprovementPlan
from api.types.salon import Salon
from api.viewer import where_viewer_sees_departments, where_viewer_sees_individuals, where_viewer_sees_plans
from domain import models
from domain.errors import InvalidArgument
from domain.periods import Period, PeriodError


async def _department(info: Info, code: str) -> Department | None:
    statement = where_viewer_sees_departments(
        select(models.Department).where(models.Department.code == code),
        info.context.viewer,
        models.Department.id,
    )
    row = await info.context.read(lambda s: s.exec(statement).first())
    return Department.from_row(row) if row else None


async def _employee(info: Info, employee_id: str) -> Employee | None:
    statement = where_viewer_sees_individuals(
        select(models.Employee).where(models.Employee.employee_id == employee_id),
        info.context.viewer,
        models.Employee.department_id,
        models.Employee.id,
    )
    row = await info.context.read(lambda s: s.exec(statement).first())
    if row is None:
        return None
    info.context.audit("read:Employee", f"employee:{employee_id}")
    return Employee.from_row(row)


async def _metric(info: Info, code: str) -> Metric | None:
    row = await info.context.loaders.metric_by_code.load(code)
    return Metric.from_row(row) if row else None


async def _gap(info: Info, key: str) -> Gap | None:
    metric_id, _, rest = key.partition(":")
    department_id, _, period = rest.partition(":")
    if not (
        metric_id.isascii() and metric_id.isdigit() and department_id.isascii() and department_id.isdigit()
    ):
        return None
    try:
        period = str(Period.parse(period))
    except PeriodError:
        return None
    rows = await info.context.loaders.gaps_by_department_period.load((int(department_id), period))
    return next((Gap.from_row(r) for r in rows if r.metric_id == int(metric_id)), None)


def _number(key: str) -> int | None:
    """A salon's or plan's row id from a global id's key; None when no row could have it."""
    try:
        return numeric_id(strawberry.ID(key), "", "id", "row")
    except InvalidArgument:
        return None


async def _salon(info: Info, key: str) -> Salon | None:
    """As ``salon(id:)``: the salons of the departments the viewer sees (hosted or attended)."""
    number = _number(key)
    found = await info.context.loaders.plans.salon_by_id.load(number) if number else None
    return Salon.of(*found, info.context.locale(), info.context.formats) if found else None


async def _plan(info: Info, key: str) -> ImprovementPlan | None:
    """As ``plan(id:)``: through the viewer's plan scope."""
    number = _number(key)
    if number is None:
        return None
    statement = where_viewer_sees_plans(
        select(models.ImprovementPlan).where(models.ImprovementPlan.id == number), info.context.viewer
    )
    row = await info.context.read(lambda s: s.exec(statement).first())
    return ImprovementPlan.from_row(row) if row else None


RESOLVERS: dict[str, Callable[[Info, str], Awaitable[Node | None]]] = {
    "Department": _department,
    "Employee": _employee,
    "Metric": _metric,
    "Gap": _gap,
    "Salon": _salon,
    "ImprovementPlan": _plan,
}


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any entity by its global id (Relay's global object identification); null when there "
        "is none or it is outside the viewer's scope — the two read the same."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[  # noqa: A002  (Relay's name)
            strawberry.ID, strawberry.argument(description="A global id, as `Node.id` gave it.")
        ],
    ) -> Node | None:
        parts = split_global_id(str(id))
        if parts is None:  # a job's UUID; jobs are HR's
            if not info.context.viewer.is_admin:
                return None
            row = await info.context.loaders.job_by_id.load(str(id))
            return Job.from_row(row) if row else None
        type_name, key = parts
        resolve = RESOLVERS.get(type_name)
        return await resolve(info, key) if resolve else None
