from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from api.context import Info
from api.types.metric import Metric
from domain import models
from domain.periods import Period

if TYPE_CHECKING:
    from api.types.department import Department


@strawberry.type(description="Where a department stands on a metric in a period; most severe first in lists.")
class Gap:
    period: Period
    actual: float
    previous: float | None = strawberry.field(description="The value of the period before, same grain.")
    target: float | None
    change: float | None = strawberry.field(description="actual / previous − 1.")
    attainment: float | None = strawberry.field(
        description="actual / target when higher is better, target / actual when lower is better."
    )
    below_target: bool
    worsening: bool = strawberry.field(description="Changed in the bad direction since the period before.")
    severity: float = strawberry.field(
        description="100 × (shortfall + deterioration) × people weight (1 for nobody … 2 for 200 people)."
    )
    metric_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Gap) -> Gap:
        return cls(
            period=Period.parse(row.period),
            actual=row.actual,
            previous=row.previous,
            target=row.target,
            change=row.change,
            attainment=row.attainment,
            below_target=row.below_target,
            worsening=row.worsening,
            severity=row.severity,
            metric_id=row.metric_id,
        )

    @strawberry.field
    async def metric(self, info: Info) -> Metric:
        return Metric.from_row(await info.context.loaders.metric_by_id.load(self.metric_id))


@strawberry.type(description="One department's place on a metric among all departments that report it.")
class DepartmentStanding:
    value: float
    change: float | None
    rank: int = strawberry.field(description="1 = best, direction-aware.")
    department_id: strawberry.Private[int]

    @strawberry.field
    async def department(self, info: Info) -> Annotated[Department, strawberry.lazy("api.types.department")]:
        from api.types.department import Department

        return Department.from_row(await info.context.loaders.department_by_id.load(self.department_id))
