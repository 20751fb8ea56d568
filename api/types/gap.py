from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from api.context import Info
from api.types.metric import Metric
from domain import models
from domain.disclosure import over_representation, people_share
from domain.periods import Period

if TYPE_CHECKING:
    from api.types.department import Department


@strawberry.type(description="A segment's share of a gap's bad mass (see `Gap.drivers`).")
class GapDriver:
    dimension: str = strawberry.field(description="tenure, team or employee.")
    segment: str = strawberry.field(
        description="new_hire / experienced, a team's name, an employee id, or (other): small segments merged."
    )
    share: float
    people_share: float | None = strawberry.field(
        default=None,
        description="The segment's share of the department's people (null until the gap is recomputed).",
    )
    over_representation: float | None = strawberry.field(
        default=None,
        description="share ÷ peopleShare: 2 = twice its part of the gap, 1 = an even split; a finding above 1.",
    )


@strawberry.type(
    description="A theme of the feedback tied to a gap's metric in its period, with how often it came up."
)
class FeedbackTheme:
    theme: str
    count: int


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
    department_id: strawberry.Private[int]

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
            department_id=row.department_id,
        )

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.metric_id, self.department_id, str(self.period))

    @strawberry.field
    async def metric(self, info: Info) -> Metric:
        return Metric.from_row(await info.context.loaders.metric_by_id.load(self.metric_id))

    @strawberry.field(
        description="Which segments carry the gap, per dimension (tenure, team, employee), largest share first. "
        "HR admins see every segment exactly; others see no employee dimension, segments of fewer than 5 "
        "people merged into '(other)' (with the smallest others until it holds 5) and shares rounded to "
        "5 percentage points, so no small group's share can be worked out from the rest."
    )
    async def drivers(self, info: Info) -> list[GapDriver]:
        rows = await info.context.loaders.drivers_by_gap.load(self.key)
        if any(r.dimension == "employee" for r in rows):  # a person's share is individual-level data
            department = await info.context.loaders.department_by_id.load(self.department_id)
            info.context.audit("read:Gap.drivers", f"department:{department.code}" if department else None)
        return [
            GapDriver(
                dimension=r.dimension,
                segment=r.segment,
                share=r.share,
                people_share=(shown := people_share(r.people, r.headcount)),
                over_representation=over_representation(r.share, shown),
            )
            for r in rows
        ]

    @strawberry.field(
        description="Themes of the feedback tied to this metric in this period, most frequent first."
    )
    async def feedback(self, info: Info) -> list[FeedbackTheme]:
        rows = await info.context.loaders.themes_by_gap.load(self.key)
        return [FeedbackTheme(theme=r.theme, count=r.count) for r in rows]


@strawberry.type(description="One department's place on a metric among all departments that report it.")
class DepartmentStanding:
    value: float
    change: float | None
    rank: int = strawberry.field(description="1 = best, direction-aware; per head for a sum metric.")
    department_id: strawberry.Private[int]
    per_head: float | None = strawberry.field(
        default=None, description="The value over the department's employees (null for a department of nobody)."
    )

    @strawberry.field
    async def department(self, info: Info) -> Annotated[Department, strawberry.lazy("api.types.department")]:
        from api.types.department import Department

        return Department.from_row(await info.context.loaders.department_by_id.load(self.department_id))


@strawberry.type(
    description="Share of a department wanting to grow a skill, with the metric that skill moves."
)
class GrowthNeed:
    skill: str
    share: float
    metric_average: float | None = strawberry.field(
        description="The department's value of the related metric."
    )
    metric_id: strawberry.Private[int | None]

    @strawberry.field
    async def related_metric(self, info: Info) -> Metric | None:
        if self.metric_id is None:
            return None
        return Metric.from_row(await info.context.loaders.metric_by_id.load(self.metric_id))


@strawberry.type(description="One of a department's top 10% on a metric in a period.")
class Performer:
    employee_id: str
    name: str
    value: float
