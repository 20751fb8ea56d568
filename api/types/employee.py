from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.types.department import Department
from domain import models


@strawberry.type(description="A person in the organisation.")
class Employee:
    employee_id: str
    name: str
    hire_date: date
    team: str | None
    level: str | None
    department_id: strawberry.Private[int]
    manager_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Employee) -> Employee:
        return cls(
            employee_id=row.employee_id,
            name=row.name,
            hire_date=row.hire_date,
            team=row.team,
            level=row.level,
            department_id=row.department_id,
            manager_id=row.manager_id,
        )

    @strawberry.field
    async def department(self, info: Info) -> Department:
        row = await info.context.loaders.department_by_id.load(self.department_id)
        return Department.from_row(row)

    @strawberry.field
    async def manager(self, info: Info) -> Employee | None:
        if self.manager_id is None:
            return None
        row = await info.context.loaders.employee_by_id.load(self.manager_id)
        return Employee.from_row(row) if row else None
