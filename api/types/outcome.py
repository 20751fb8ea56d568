"""What a held salon concluded, and the practices it adopted: the library later salons cite."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.context import Info
from api.types.department import Department
from api.types.employee import Employee
from api.types.metric import Metric
from api.types.plan import PlanEffect
from domain import models

if TYPE_CHECKING:
    from api.types.salon import Salon


@strawberry.type(description="What a held salon concluded.")
class SalonOutcome:
    conclusions: list[str] = strawberry.field(description="What the salon concluded.")
    adopted_practices: list[str] = strawberry.field(description="The practices it adopted, as written.")
    notes: str | None = strawberry.field(description="Free notes, if any.")
    recorded_at: datetime = strawberry.field(description="When the outcome was recorded.")
    salon_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.SalonOutcome) -> SalonOutcome:
        return cls(
            conclusions=list(row.conclusions),
            adopted_practices=list(row.adopted_practices),
            notes=row.notes,
            recorded_at=row.recorded_at,
            salon_id=row.salon_id,
        )

    @strawberry.field(
        description="Who came, as far as the viewer may see them in full (audited; see `attendeeCount`)."
    )
    async def attendees(self, info: Info) -> list[Employee]:
        ids = await info.context.loaders.plans.attendee_ids_by_salon_id.load(self.salon_id)
        rows = await info.context.loaders.employee_by_id.load_many(ids)
        shown = sorted((Employee.from_row(r) for r in rows if r is not None), key=lambda e: e.employee_id)
        if shown:
            info.context.audit("read:SalonOutcome.attendees", f"salon:{self.salon_id}")
        for employee in shown:
            info.context.audit("read:SalonOutcome.attendees", f"employee:{employee.employee_id}")
        return shown

    @strawberry.field(description="How many people came; for every viewer.")
    async def attendee_count(self, info: Info) -> int:
        return len(await info.context.loaders.plans.attendee_ids_by_salon_id.load(self.salon_id))


@strawberry.type(
    description="A practice a salon adopted, with the measured effect of the plan that followed it."
)
class Practice:
    text: str = strawberry.field(description="The practice.")
    row: strawberry.Private[models.Practice]

    @classmethod
    def from_row(cls, row: models.Practice) -> Practice:
        return cls(text=row.text, row=row)

    @strawberry.field(description="The department that adopted it.")
    async def department(self, info: Info) -> Department:
        row = await info.context.loaders.plans.named_department_by_id.load(self.row.department_id)
        return Department.from_row(row)

    @strawberry.field(description="The salon that adopted it.")
    async def salon(self, info: Info) -> Annotated[Salon, strawberry.lazy("api.types.salon")]:
        from api.types.salon import Salon

        found = await info.context.loaders.plans.salon_by_id.load(self.row.salon_id)
        if found is None:  # a practice is read by its department, which attends its salon
            raise LookupError(f"practice {self.row.id}: its salon is out of reach")
        return Salon.of(*found, info.context.locale(), info.context.formats)

    @strawberry.field(description="The metric of the salon's topic, if it had one.")
    async def metric(self, info: Info) -> Metric | None:
        if self.row.metric_id is None:
            return None
        row = await info.context.loaders.metric_by_id.load(self.row.metric_id)
        return Metric.from_row(row) if row else None

    @strawberry.field(
        description="The effect of the plan that followed the salon on this metric in this department "
        "(the earliest not cancelled); null without one, or before it is measured."
    )
    async def effect(self, info: Info) -> PlanEffect | None:
        if self.row.metric_id is None:
            return None
        key = (self.row.salon_id, self.row.department_id, self.row.metric_id)
        row = await info.context.loaders.plans.effect_by_practice.load(key)
        return PlanEffect.from_row(row) if row else None
