"""Gaps: the cross-department standing of the root ``Query``, and the ``recompute`` mutation
that rebuilds department values and gaps (a job)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from anyio import to_thread
from sqlalchemy import func
from sqlmodel import col, select

from api.context import Info
from api.tokens import Role
from api.types.gap import DepartmentStanding
from api.types.job import Job
from api.viewer import where_viewer_sees_departments
from domain import models
from domain.errors import InvalidArgument
from domain.jobs import RECOMPUTE
from domain.periods import Period, kpi_period
from workers.jobs import enqueue


@strawberry.type
class GapQuery:
    @strawberry.field(
        description="Every department that has the metric in the period, best first (direction-aware). "
        "A sum metric (e.g. training hours) is ranked per head (`perHead`: the value over the department's "
        "employees), since a larger department's total says nothing about how well it does; departments "
        "without employees are left out of a sum's standings."
    )
    async def cross_department(
        self,
        info: Info,
        metric_code: Annotated[str, strawberry.argument(description="The metric's code.")],
        period: Annotated[
            Period, strawberry.argument(description="A month `YYYY-MM` or a quarter `YYYY-Qn`.")
        ],
    ) -> list[DepartmentStanding]:
        viewer = info.context.viewer
        period = kpi_period(period)

        def query(session) -> list:
            metric = session.exec(select(models.Metric).where(models.Metric.code == metric_code)).first()
            if metric is None:  # an empty list would read as "nobody has data"
                raise InvalidArgument(f"no metric with code {metric_code!r}", field="metric_code")
            heads = (
                select(models.Employee.department_id, func.count().label("people"))
                .group_by(models.Employee.department_id)
                .subquery()
            )
            per_head = (col(models.Gap.actual) / heads.c.people).label("per_head")
            compared = (
                per_head if metric.aggregation == models.Aggregation.SUM.value else col(models.Gap.actual)
            )
            higher = metric.direction == models.Direction.HIGHER_IS_BETTER
            ranked = (
                select(
                    models.Gap.department_id,
                    models.Gap.actual,
                    models.Gap.change,
                    per_head,
                    func.row_number()
                    .over(
                        order_by=(
                            compared.desc() if higher else compared.asc(),
                            col(models.Gap.department_id),
                        )
                    )
                    .label("rank"),
                )
                .join(heads, heads.c.department_id == models.Gap.department_id, isouter=True)
                .where(models.Gap.metric_id == metric.id, models.Gap.period == str(period))
            )
            if metric.aggregation == models.Aggregation.SUM.value:  # per head, or not at all
                ranked = ranked.where(heads.c.people > 0)
            ranked = ranked.subquery()
            # ranks among all departments; only the viewer's rows leave the database
            statement = where_viewer_sees_departments(select(ranked), viewer, ranked.c.department_id)
            return session.execute(statement.order_by(ranked.c.rank)).all()

        rows = await info.context.read(query)
        return [
            DepartmentStanding(
                value=r.actual,
                change=r.change,
                rank=r.rank,
                per_head=r.per_head,
                department_id=r.department_id,
            )
            for r in rows
        ]


@strawberry.type
class RecomputeMutation:
    @strawberry.mutation(
        description="Rebuild department values and gaps: for the given periods (a quarter, half-year or year "
        "means its months), "
        "or everything when none are given. Returns the job to follow."
    )
    async def recompute(
        self,
        info: Info,
        periods: Annotated[
            list[Period] | None,
            strawberry.argument(
                description="The periods to rebuild (a quarter means its months); everything when omitted."
            ),
        ] = strawberry.UNSET,
    ) -> Job:
        info.context.viewer.require(Role.HR_ADMIN, action="recompute")
        rebuild = None  # the job's rebuild scope (workers.scoping.RebuildScope); None: everything
        if periods:
            rebuild = {"periods": sorted({str(month) for period in periods for month in period.months()})}
        job = await to_thread.run_sync(lambda: enqueue(info.context.engine, RECOMPUTE, scope=rebuild))
        return Job.from_row(job)
