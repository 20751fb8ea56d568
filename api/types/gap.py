from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from api.context import Info
from api.paging import FIRST, first_of
from api.types.enums import DriverDimension
from api.types.metric import Metric
from api.types.node import Node
from domain import models
from domain.disclosure import over_representation, people_share
from domain.periods import Period

if TYPE_CHECKING:
    from api.types.department import Department
    from api.types.employee import Employee


@strawberry.type(description="A segment's share of a gap's bad mass (see `Gap.drivers`).")
class GapDriver:
    dimension: str = strawberry.field(
        description="The dimension as a code: tenure, team or employee.",
        deprecation_reason="Use `driverDimension` (an enum).",
    )
    segment: str = strawberry.field(
        description="The segment: new_hire / experienced, a team's name, an employee id, or (other): small segments merged."
    )
    share: float = strawberry.field(description="The segment's share of the gap's bad mass, 0–1.")

    @strawberry.field(description="The dimension, as an enum.")
    def driver_dimension(self) -> DriverDimension:
        return DriverDimension(self.dimension)

    @strawberry.field(
        description="The person, when the dimension is employee and the viewer may see them (audited); null "
        "otherwise."
    )
    async def employee(self, info: Info) -> Annotated[Employee, strawberry.lazy("api.types.employee")] | None:
        from api.types.employee import Employee

        if self.dimension != DriverDimension.EMPLOYEE.value:
            return None
        row = await info.context.loaders.employee_by_code.load(self.segment)
        if row is None:
            return None
        info.context.audit("read:GapDriver.employee", f"employee:{row.employee_id}")
        return Employee.from_row(row)

    people_share: float | None = strawberry.field(
        default=None,
        description="The segment's share of the department's people (null until the gap is recomputed).",
    )
    over_representation: float | None = strawberry.field(
        default=None,
        description="The segment's share ÷ its peopleShare: 2 = twice its part of the gap, 1 = an even split; a finding "
        "above 1.",
    )


@strawberry.type(
    description="A theme of the feedback tied to a gap's metric in its period, with how often it came up."
)
class FeedbackTheme:
    theme: str = strawberry.field(description="The theme tag.")
    count: int = strawberry.field(description="How many feedback items carry it.")


@strawberry.type(description="Where a department stands on a metric in a period; most severe first in lists.")
class Gap(Node):
    period: Period = strawberry.field(description="The month or quarter.")
    actual: float = strawberry.field(
        description="The department's value (a quarter rolled up by aggregation)."
    )
    previous: float | None = strawberry.field(description="The value of the period before, same grain.")
    target: float | None = strawberry.field(description="The target for the period; null without one.")
    change: float | None = strawberry.field(description="The relative change: actual / previous − 1.")
    attainment: float | None = strawberry.field(
        description="How much of the target is met: actual / target when higher is better, target / actual when lower is better."
    )
    below_target: bool = strawberry.field(description="Attainment under 1.")
    worsening: bool = strawberry.field(description="Changed in the bad direction since the period before.")
    severity: float = strawberry.field(
        description="100 × (shortfall + deterioration) × people weight (1 for nobody … 2 for 200 people)."
    )
    months_covered: int = strawberry.field(
        description="How many of the period's months have data: 1 for a month, 1–3 for a quarter."
    )
    complete: bool = strawberry.field(
        description="Every month of the period has data. A metric summed over an incomplete quarter has no "
        "previous, change, target or attainment (part of a quarter is not compared with a whole one); a mean "
        "or ratio keeps them, as the level of the months present."
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
            months_covered=row.months_covered,
            complete=row.complete,
            metric_id=row.metric_id,
            department_id=row.department_id,
        )

    @property
    def node_key(self) -> str:
        return f"{self.metric_id}:{self.department_id}:{self.period}"

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.metric_id, self.department_id, str(self.period))

    @strawberry.field(description="The metric.")
    async def metric(self, info: Info) -> Metric:
        return Metric.from_row(await info.context.loaders.metric_by_id.load(self.metric_id))

    @strawberry.field(
        description="Which segments carry the gap, per dimension (tenure, team, employee), largest share first. "
        "HR admins see every segment exactly; others see no employee dimension, segments of fewer than 5 "
        "people merged into '(other)' (with the smallest others until it holds 5) and shares rounded to "
        "5 percentage points, so no small group's share can be worked out from the rest."
    )
    async def drivers(self, info: Info, first: FIRST = None) -> list[GapDriver]:
        rows = first_of(await info.context.loaders.drivers_by_gap.load(self.key), first)
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
    async def feedback(self, info: Info, first: FIRST = None) -> list[FeedbackTheme]:
        rows = first_of(await info.context.loaders.themes_by_gap.load(self.key), first)
        return [FeedbackTheme(theme=r.theme, count=r.count) for r in rows]


@strawberry.type(description="One department's place on a metric among all departments that report it.")
class DepartmentStanding:
    value: float = strawberry.field(description="The department's value.")
    change: float | None = strawberry.field(
        description="Its change since the period before (actual / previous − 1)."
    )
    rank: int = strawberry.field(description="1 = best, direction-aware; per head for a sum metric.")
    department_id: strawberry.Private[int]
    per_head: float | None = strawberry.field(
        default=None,
        description="The value over the department's employees (null for a department of nobody).",
    )

    @strawberry.field(description="The department.")
    async def department(self, info: Info) -> Annotated[Department, strawberry.lazy("api.types.department")]:
        from api.types.department import Department

        return Department.from_row(await info.context.loaders.department_by_id.load(self.department_id))


@strawberry.type(
    description="Share of a department wanting to grow a skill, with the metric that skill moves."
)
class GrowthNeed:
    skill: str = strawberry.field(description="The skill.")
    share: float = strawberry.field(description="The share of the department's people wanting it, 0–1.")
    metric_average: float | None = strawberry.field(
        description="The department's value of the related metric."
    )
    metric_id: strawberry.Private[int | None]

    @strawberry.field(description="The metric the skill moves, if any.")
    async def related_metric(self, info: Info) -> Metric | None:
        if self.metric_id is None:
            return None
        return Metric.from_row(await info.context.loaders.metric_by_id.load(self.metric_id))


@strawberry.type(description="One of a department's top 10% on a metric in a period.")
class Performer:
    employee_id: str = strawberry.field(description="The performer's employee id.")
    name: str = strawberry.field(description="The performer's name.")
    value: float = strawberry.field(description="Their value of the metric in the period.")

    @strawberry.field(description="The performer as an employee, when the viewer may see them (audited).")
    async def employee(self, info: Info) -> Annotated[Employee, strawberry.lazy("api.types.employee")] | None:
        from api.types.employee import Employee

        row = await info.context.loaders.employee_by_code.load(self.employee_id)
        if row is None:
            return None
        info.context.audit("read:Performer.employee", f"employee:{row.employee_id}")
        return Employee.from_row(row)
