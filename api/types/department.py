from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlmodel import col, select

from api.context import Info
from api.types.gap import Gap, GrowthNeed, Performer
from domain import models
from domain.periods import Period

if TYPE_CHECKING:
    from api.types.employee import Employee


@strawberry.type(description="An org unit; departments form a tree through `parent`.")
class Department:
    code: str
    name: str
    row_id: strawberry.Private[int]
    parent_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Department) -> Department:
        return cls(code=row.code, name=row.name, row_id=row.id, parent_id=row.parent_id)

    @strawberry.field
    async def parent(self, info: Info) -> Department | None:
        if self.parent_id is None:
            return None
        row = await info.context.loaders.department_by_id.load(self.parent_id)
        return Department.from_row(row) if row else None

    @strawberry.field(description="Direct sub-departments, by code.")
    async def children(self, info: Info) -> list[Department]:
        rows = await info.context.loaders.departments_by_parent_id.load(self.row_id)
        return [Department.from_row(row) for row in rows]

    @strawberry.field(description="The department's own employees (not its sub-departments'), by id.")
    async def employees(self, info: Info) -> list[Annotated[Employee, strawberry.lazy("api.types.employee")]]:
        from api.types.employee import Employee

        rows = await info.context.loaders.employees_by_department_id.load(self.row_id)
        return [Employee.from_row(row) for row in rows]

    @strawberry.field(description="The department's gaps in a period (month or quarter), most severe first.")
    async def gaps(self, info: Info, period: Period) -> list[Gap]:
        statement = (
            select(models.Gap)
            .where(models.Gap.department_id == self.row_id, models.Gap.period == str(period))
            .order_by(col(models.Gap.severity).desc(), col(models.Gap.metric_id))
        )
        rows = await info.context.read(lambda s: s.exec(statement).all())
        return [Gap.from_row(row) for row in rows]

    @strawberry.field(
        description="Skills the department's people want to grow as of the period's end, largest share first."
    )
    async def growth_needs(self, info: Info, period: Period) -> list[GrowthNeed]:
        statement = (
            select(models.GrowthNeed)
            .where(models.GrowthNeed.department_id == self.row_id, models.GrowthNeed.period == str(period))
            .order_by(col(models.GrowthNeed.share).desc(), col(models.GrowthNeed.skill))
        )
        rows = await info.context.read(lambda s: s.exec(statement).all())
        return [
            GrowthNeed(skill=r.skill, share=r.share, metric_average=r.metric_average, metric_id=r.metric_id)
            for r in rows
        ]

    @strawberry.field(
        description="The department's top 10% (at least one) on a metric in a period, best first."
    )
    async def top_performers(self, info: Info, metric_code: str, period: Period) -> list[Performer]:
        statement = (
            select(models.TopPerformer, models.Employee)
            .join(models.Employee, col(models.Employee.id) == col(models.TopPerformer.employee_id))
            .join(models.Metric, col(models.Metric.id) == col(models.TopPerformer.metric_id))
            .where(
                models.TopPerformer.department_id == self.row_id,
                models.TopPerformer.period == str(period),
                models.Metric.code == metric_code,
            )
            .order_by(col(models.TopPerformer.rank))
        )
        rows = await info.context.read(lambda s: s.exec(statement).all())
        return [Performer(employee_id=e.employee_id, name=e.name, value=p.value) for p, e in rows]
