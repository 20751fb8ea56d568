from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from api.connections import AFTER, DEFAULT_PAGE, PAGE_SIZE, Connection, page
from api.context import Info
from api.locale import LOCALE_ARGUMENT
from api.paging import FIRST, first_of
from api.series import MetricPoint, periods_between
from api.types.gap import Gap, GrowthNeed, Performer
from api.types.node import Node
from api.types.personal import Feedback
from domain import models
from domain.errors import InvalidArgument
from domain.periods import Period, kpi_period

PERIOD = Annotated[Period, strawberry.argument(description="A month `YYYY-MM` or a quarter `YYYY-Qn`.")]
METRIC_CODE = Annotated[str, strawberry.argument(description="The metric's code.")]

if TYPE_CHECKING:
    from api.types.employee import Employee
    from api.types.salon import Salon


@strawberry.type(description="An org unit; departments form a tree through `parent`.")
class Department(Node):
    code: str = strawberry.field(description="The department's code, its natural key.")
    name: str = strawberry.field(description="Its name as imported (labels give it in other languages).")
    row_id: strawberry.Private[int]
    parent_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Department) -> Department:
        return cls(code=row.code, name=row.name, row_id=row.id, parent_id=row.parent_id)

    @property
    def node_key(self) -> str:
        return self.code

    @strawberry.field(description="The department above, or null at the top (or outside the viewer's scope).")
    async def parent(self, info: Info) -> Department | None:
        if self.parent_id is None:
            return None
        row = await info.context.loaders.department_by_id.load(self.parent_id)
        return Department.from_row(row) if row else None

    @strawberry.field(description="Direct sub-departments, by code.")
    async def children(self, info: Info) -> list[Department]:
        rows = await info.context.loaders.departments_by_parent_id.load(self.row_id)
        return [Department.from_row(row) for row in rows]

    @property
    def target(self) -> str:
        return f"department:{self.code}"

    @strawberry.field(
        description="The department's own employees (not its sub-departments'), by id; those the viewer "
        "may see (audited)."
    )
    async def employees(self, info: Info) -> list[Annotated[Employee, strawberry.lazy("api.types.employee")]]:
        from api.types.employee import Employee

        rows = await info.context.loaders.employees_by_department_id.load(self.row_id)
        if rows:
            info.context.audit("read:Department.employees", self.target)
        return [Employee.from_row(row) for row in rows]

    @strawberry.field(
        description="`employees` a page at a time (Relay connection): the same people in the same order, audited "
        "alike."
    )
    async def employees_connection(
        self, info: Info, first: PAGE_SIZE = DEFAULT_PAGE, after: AFTER = None
    ) -> Connection[Annotated[Employee, strawberry.lazy("api.types.employee")]]:
        from api.types.employee import Employee

        rows = await info.context.loaders.employees_by_department_id.load(self.row_id)
        result = page(rows, first, after, Employee.from_row)
        if result.edges:
            info.context.audit("read:Department.employees", self.target)
        return result

    @strawberry.field(
        description="`feedback` a page at a time (Relay connection): the same items in the same order, audited "
        "alike."
    )
    async def feedback_connection(
        self, info: Info, period: PERIOD, first: PAGE_SIZE = DEFAULT_PAGE, after: AFTER = None
    ) -> Connection[Feedback]:
        rows = await info.context.loaders.feedback_by_department_period.load((self.row_id, str(period)))
        result = page(rows, first, after, Feedback.from_row)
        if result.edges:
            info.context.audit("read:Department.feedback", self.target)
        return result

    @strawberry.field(
        description="The department's own feedback in a period (a quarter means its months): all of it for "
        "its managers and HR admins, an employee's own for them (audited)."
    )
    async def feedback(self, info: Info, period: PERIOD) -> list[Feedback]:
        rows = await info.context.loaders.feedback_by_department_period.load(
            (self.row_id, str(kpi_period(period)))
        )
        if rows:
            info.context.audit("read:Department.feedback", self.target)
        return [Feedback.from_row(row) for row in rows]

    @strawberry.field(description="The department's gaps in a period (month or quarter), most severe first.")
    async def gaps(self, info: Info, period: PERIOD, first: FIRST = None) -> list[Gap]:
        rows = first_of(
            await info.context.loaders.gaps_by_department_period.load((self.row_id, str(kpi_period(period)))),
            first,
        )
        return [Gap.from_row(row) for row in rows]

    @strawberry.field(
        description="Skills the department's people want to grow as of the period's end, largest share first."
    )
    async def growth_needs(self, info: Info, period: PERIOD) -> list[GrowthNeed]:
        rows = await info.context.loaders.growth_needs_by_department_period.load(
            (self.row_id, str(kpi_period(period)))
        )
        return [
            GrowthNeed(skill=r.skill, share=r.share, metric_average=r.metric_average, metric_id=r.metric_id)
            for r in rows
        ]

    @strawberry.field(
        description="The department's top 10% (at least one) on a metric in a period, best first; those "
        "the viewer may see (audited)."
    )
    async def top_performers(self, info: Info, metric_code: METRIC_CODE, period: PERIOD) -> list[Performer]:
        key = (self.row_id, metric_code, str(kpi_period(period)))
        rows = await info.context.loaders.top_performers_by_department_metric_period.load(key)
        if rows:
            info.context.audit("read:Department.topPerformers", self.target)
        return [Performer(employee_id=e.employee_id, name=e.name, value=p.value) for p, e in rows]

    @strawberry.field(
        description="The department's values of one metric, one point per month (or quarter) from `from` to "
        "`to` inclusive, oldest first; a period without data is a point with a null value. Both ends at the "
        "same grain, at most 120 points."
    )
    async def series(
        self,
        info: Info,
        metric_code: Annotated[str, strawberry.argument(description="The metric's code.")],
        from_: Annotated[
            Period, strawberry.argument(name="from", description="The first period (month or quarter).")
        ],
        to: Annotated[Period, strawberry.argument(description="The last period, at the grain of `from`.")],
    ) -> list[MetricPoint]:
        periods = tuple(str(p) for p in periods_between(from_, to))
        metric = await info.context.loaders.metric_by_code.load(metric_code)
        if metric is None:
            raise InvalidArgument(f"metricCode: unknown metric {metric_code!r}")
        return await info.context.loaders.series_by_department_metric.load((self.row_id, metric.id, periods))

    @strawberry.field(
        description="The salons of a month this department hosts or attends, as `Query.salons(month, "
        "departmentCode)` gives them."
    )
    async def salons(
        self,
        info: Info,
        month: Annotated[Period, strawberry.argument(description="The month.")],
        locale: LOCALE_ARGUMENT = None,
    ) -> list[Annotated[Salon, strawberry.lazy("api.types.salon")]]:
        from api.salons import department_salons

        return await department_salons(info, self.row_id, self.code, month, locale)
