from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.audit import refuse
from api.context import Info
from api.locale import LOCALE_ARGUMENT
from api.types.department import Department
from api.types.growth import MetricStanding, appraisal_bonus, metric_standings
from api.types.node import Node
from api.types.personal import GrowthRecord, Review
from domain import models

if TYPE_CHECKING:
    from api.types.plan import ImprovementPlan, PlanStatus
    from api.types.salon import Salon


@strawberry.type(description="A salon one person is in, and how.")
class EmployeeSalon:
    salon: Annotated[Salon, strawberry.lazy("api.types.salon")] = strawberry.field(description="The salon.")
    invited: bool = strawberry.field(description="Invited to take part (a participant).")
    presenting: bool = strawberry.field(description="Presents or hosts.")
    attended: bool = strawberry.field(description="Came, as its outcome records.")


@strawberry.type(description="A person in the organisation.")
class Employee(Node):
    employee_id: str = strawberry.field(description="The employee id, their natural key.")
    name: str = strawberry.field(description="Their name.")
    hire_date: date = strawberry.field(description="When they joined (tenure cohorts count from it).")
    team: str | None = strawberry.field(description="Their team within the department, if any.")
    level: str | None = strawberry.field(description="Their level, if any.")
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

    @property
    def node_key(self) -> str:
        return self.employee_id

    @strawberry.field(description="Null when the department is outside the viewer's scope.")
    async def department(self, info: Info) -> Department | None:
        row = await info.context.loaders.department_by_id.load(self.department_id)
        return Department.from_row(row) if row else None

    @strawberry.field(description="Their manager, or null (or outside the viewer's scope).")
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

    async def _salon_roles(self, info: Info, field: str, locale: str | None) -> list[EmployeeSalon]:
        from api.types.salon import Salon

        self._check(info, field)
        chosen = info.context.locale(locale)
        found = await info.context.loaders.plans.salons_by_employee_id.load(self.row_id)
        return [
            EmployeeSalon(
                salon=Salon.of(p.salon, p.department_ids, chosen, info.context.formats),
                invited=p.invited,
                presenting=p.presenting,
                attended=p.attended,
            )
            for p in found
        ]

    @strawberry.field(
        description="The salons they are invited to, present at or attended, newest first: the employee, "
        "their department's managers, HR (audited). `salonRoles` says how they are in each."
    )
    async def salons(
        self, info: Info, locale: LOCALE_ARGUMENT = None
    ) -> list[Annotated[Salon, strawberry.lazy("api.types.salon")]]:
        return [entry.salon for entry in await self._salon_roles(info, "salons", locale)]

    @strawberry.field(
        description="The salons of `salons`, each with how they are in it (invited, presenting, attended): "
        "the employee, their department's managers, HR (audited)."
    )
    async def salon_roles(self, info: Info, locale: LOCALE_ARGUMENT = None) -> list[EmployeeSalon]:
        return await self._salon_roles(info, "salons", locale)

    @strawberry.field(
        description="The improvement plans they own or are a member of: the employee, their department's "
        "managers, HR (audited)."
    )
    async def plans(
        self,
        info: Info,
        status: Annotated[
            Annotated[PlanStatus, strawberry.lazy("api.types.plan")] | None,
            strawberry.argument(description="Only plans in this state."),
        ] = None,
    ) -> list[Annotated[ImprovementPlan, strawberry.lazy("api.types.plan")]]:
        from api.types.plan import ImprovementPlan

        self._check(info, "plans")
        rows = await info.context.loaders.plans.plans_by_employee_id.load(self.row_id)
        return [ImprovementPlan.from_row(row) for row in rows if status is None or row.status == status.value]
