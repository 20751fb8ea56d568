from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlmodel import col, select

from api.context import Info
from api.types.gap import Gap
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
