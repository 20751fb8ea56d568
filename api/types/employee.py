from __future__ import annotations

from datetime import date

import strawberry

from api.audit import refuse
from api.context import Info
from api.types.department import Department
from api.types.growth import MetricStanding, appraisal_bonus, metric_standings
from api.types.personal import GrowthRecord, Review
from domain import models


@strawberry.type(description="A person in the organisation.")
class Employee:
    employee_id: str
    name: str
    hire_date: date
    team: str | None
    level: str | None
    row_id: strawberry.Private[int]
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
            row_id=row.id,
            department_id=row.department_id,
            manager_id=row.manager_id,
        )

    appraisal_bonus: float = strawberry.field(
        resolver=appraisal_bonus,
        description="The points of their salon contributions dated in an appraisal cycle (2026, 2026-H2, "
        "2026-Q4, 2026-10), at most the policy's cap — what `salon export bonuses` writes: the employee, "
        "their department's managers, HR (audited).",
    )
    metrics: list[MetricStanding] = strawberry.field(
        resolver=metric_standings,
        description="Their value of each metric in a month or quarter next to their department's value, "
        "average and their rank: the employee, their department's managers, HR (audited).",
    )

    @strawberry.field(description="Null when the department is outside the viewer's scope.")
    async def department(self, info: Info) -> Department | None:
        row = await info.context.loaders.department_by_id.load(self.department_id)
        return Department.from_row(row) if row else None

    @strawberry.field
    async def manager(self, info: Info) -> Employee | None:
        if self.manager_id is None:
            return None
        row = await info.context.loaders.employee_by_id.load(self.manager_id)
        return Employee.from_row(row) if row else None

    def _check(self, info: Info, field: str) -> None:
        """Field-level check: reaching an Employee does not by itself open their personal data."""
        target = f"employee:{self.employee_id}"
        if not info.context.viewer.sees_employee(self.row_id, self.department_id):
            raise refuse(info, f"Employee.{field}", target, f"not allowed to read {field} of this employee")
        info.context.audit(f"read:Employee.{field}", target)

    @strawberry.field(
        description="Appraisal scores by cycle: the employee, their department's managers, HR (audited)."
    )
    async def reviews(self, info: Info) -> list[Review]:
        self._check(info, "reviews")
        rows = await info.context.loaders.reviews_by_employee_id.load(self.row_id)
        return [Review(cycle=r.cycle, score=r.score) for r in rows]

    @strawberry.field(
        description="The growth archive, oldest first: the employee, their department's managers, HR (audited)."
    )
    async def growth(self, info: Info) -> list[GrowthRecord]:
        self._check(info, "growth")
        rows = await info.context.loaders.growth_by_employee_id.load(self.row_id)
        return [GrowthRecord.from_row(r) for r in rows]
