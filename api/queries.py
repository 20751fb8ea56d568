"""The organisation and KPI reads of the root ``Query``."""

from __future__ import annotations

import strawberry
from sqlmodel import col, select

from api.context import Info
from api.types.department import Department
from api.types.employee import Employee
from api.types.gap import DepartmentStanding
from api.types.job import Job
from api.types.metric import Metric
from domain import models
from domain.periods import Period


@strawberry.type
class OrganisationQuery:
    @strawberry.field(description="Every department, by code.")
    async def departments(self, info: Info) -> list[Department]:
        statement = select(models.Department).order_by(col(models.Department.code))
        rows = await info.context.read(lambda s: s.exec(statement).all())
        return [Department.from_row(row) for row in rows]

    @strawberry.field(description="One department by its code, or null.")
    async def department(self, info: Info, code: str) -> Department | None:
        statement = select(models.Department).where(models.Department.code == code)
        row = await info.context.read(lambda s: s.exec(statement).first())
        return Department.from_row(row) if row else None

    @strawberry.field(description="One employee by their employee id, or null.")
    async def employee(self, info: Info, id: str) -> Employee | None:  # noqa: A002  (the contract's name)
        statement = select(models.Employee).where(models.Employee.employee_id == id)
        row = await info.context.read(lambda s: s.exec(statement).first())
        return Employee.from_row(row) if row else None


@strawberry.type
class KpiQuery:
    @strawberry.field(description="Every metric (KPI definition), by code.")
    async def metrics(self, info: Info) -> list[Metric]:
        statement = select(models.Metric).order_by(col(models.Metric.code))
        rows = await info.context.read(lambda s: s.exec(statement).all())
        return [Metric.from_row(row) for row in rows]

    @strawberry.field(description="The months that have observations, latest first.")
    async def periods(self, info: Info) -> list[Period]:
        statement = (
            select(models.Observation.period).distinct().order_by(col(models.Observation.period).desc())
        )
        rows = await info.context.read(lambda s: s.exec(statement).all())
        return [Period.parse(row) for row in rows]


@strawberry.type
class GapQuery:
    @strawberry.field(
        description="Every department that has the metric in the period, best first (direction-aware)."
    )
    async def cross_department(
        self, info: Info, metric_code: str, period: Period
    ) -> list[DepartmentStanding]:
        def query(session) -> list[tuple[models.Gap, str]]:
            statement = (
                select(models.Gap, models.Metric.direction)
                .join(models.Metric, col(models.Metric.id) == col(models.Gap.metric_id))
                .where(models.Metric.code == metric_code, models.Gap.period == str(period))
            )
            return session.exec(statement).all()

        rows = await info.context.read(query)
        if not rows:
            return []
        higher = rows[0][1] == models.Direction.HIGHER_IS_BETTER.value
        ordered = sorted(
            (gap for gap, _ in rows), key=lambda g: (-g.actual if higher else g.actual, g.department_id)
        )
        return [
            DepartmentStanding(value=g.actual, change=g.change, rank=rank, department_id=g.department_id)
            for rank, g in enumerate(ordered, start=1)
        ]


@strawberry.type
class JobQuery:
    @strawberry.field(description="A background job by id, or null.")
    async def job(self, info: Info, id: strawberry.ID) -> Job | None:  # noqa: A002
        row = await info.context.read(lambda s: s.get(models.Job, str(id)))
        return Job.from_row(row) if row else None
