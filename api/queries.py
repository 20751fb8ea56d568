"""The organisation and KPI reads of the root ``Query``."""

from __future__ import annotations

import strawberry
from sqlalchemy import func
from sqlmodel import col, select

from api.audit import refuse
from api.context import Info
from api.permissions import scope_departments, scope_individuals
from api.types.department import Department
from api.types.employee import Employee
from api.types.gap import DepartmentStanding
from api.types.metric import Metric
from domain import models
from domain.periods import Period


@strawberry.type
class OrganisationQuery:
    @strawberry.field(description="Every department the viewer may see, by code.")
    async def departments(self, info: Info) -> list[Department]:
        viewer = info.context.viewer
        statement = scope_departments(
            select(models.Department).order_by(col(models.Department.code)), viewer, models.Department.id
        )
        rows = await info.context.read(lambda s: s.exec(statement).all())
        return [Department.from_row(row) for row in rows]

    @strawberry.field(
        description="One department by its code; null when there is none, an error when it is outside "
        "the viewer's scope."
    )
    async def department(self, info: Info, code: str) -> Department | None:
        viewer = info.context.viewer
        statement = scope_departments(
            select(models.Department).where(models.Department.code == code), viewer, models.Department.id
        )
        row = await info.context.read(lambda s: s.exec(statement).first())
        if row is None and viewer.department_ids is not None:
            raise refuse(info, "Department", f"department:{code}", f"no department {code!r} in your scope")
        return Department.from_row(row) if row else None

    @strawberry.field(
        description="One employee by their employee id; null when there is none, an error when they are "
        "outside the viewer's scope (audited)."
    )
    async def employee(self, info: Info, id: str) -> Employee | None:  # noqa: A002  (the contract's name)
        viewer = info.context.viewer
        statement = scope_individuals(
            select(models.Employee).where(models.Employee.employee_id == id),
            viewer,
            models.Employee.department_id,
            models.Employee.id,
        )
        row = await info.context.read(lambda s: s.exec(statement).first())
        if row is None and viewer.individual_department_ids is not None:
            raise refuse(info, "Employee", f"employee:{id}", f"no employee {id!r} in your scope")
        if row is not None:
            info.context.audit("read:Employee", f"employee:{id}")
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
        viewer = info.context.viewer

        def query(session) -> list:
            metric = session.exec(select(models.Metric).where(models.Metric.code == metric_code)).first()
            if metric is None:
                return []
            actual = col(models.Gap.actual)
            best_first = (
                actual.desc() if metric.direction == models.Direction.HIGHER_IS_BETTER else actual.asc()
            )
            ranked = (
                select(
                    models.Gap.department_id,
                    models.Gap.actual,
                    models.Gap.change,
                    func.row_number()
                    .over(order_by=(best_first, col(models.Gap.department_id)))
                    .label("rank"),
                )
                .where(models.Gap.metric_id == metric.id, models.Gap.period == str(period))
                .subquery()
            )
            # ranks among all departments; only the viewer's rows leave the database
            statement = scope_departments(select(ranked), viewer, ranked.c.department_id)
            return session.execute(statement.order_by(ranked.c.rank)).all()

        rows = await info.context.read(query)
        return [
            DepartmentStanding(value=r.actual, change=r.change, rank=r.rank, department_id=r.department_id)
            for r in rows
        ]

