"""A department's time series on one metric (``Department.series``): one point per period of a
range, read from the stored gaps in one query for every department asking, so a twelve-month
trend is one field rather than twelve aliased ``gaps``."""

from __future__ import annotations

import strawberry
from sqlmodel import col, select
from strawberry.dataloader import DataLoader

from api.batching import Reader
from api.viewer import Viewer, where_viewer_sees_departments
from domain.errors import InvalidArgument
from domain.models import Gap
from domain.periods import Period

MOST_POINTS = 120  # ten years of months: a chart's range, not an export


@strawberry.type(description="A department's value of a metric in one period of a series.")
class MetricPoint:
    period: Period = strawberry.field(description="The month or quarter of this point.")
    value: float | None = strawberry.field(
        description="The department's value (a quarter rolled up by the metric's aggregation); null "
        "when the period has no data."
    )
    target: float | None = strawberry.field(description="The target for the period; null without one.")
    attainment: float | None = strawberry.field(
        description="How much of the target is met: value / target when higher is better, target / value when lower is better; null "
        "without a target (or for a summed metric over part of a quarter, see `Gap.complete`)."
    )


def periods_between(start: Period, end: Period) -> list[Period]:
    """``start`` to ``end`` inclusive, at their (shared) grain; refuses mixed grains, a reversed
    range and more than ``MOST_POINTS`` periods, naming the argument."""
    if start.is_month != end.is_month:
        raise InvalidArgument(
            f"to: {end} is not at the grain of from ({start}): both months or both quarters"
        )
    if end < start:
        raise InvalidArgument(f"to: {end} is before from ({start})")
    periods = [start]
    while periods[-1] != end:
        if len(periods) == MOST_POINTS:
            raise InvalidArgument(f"to: at most {MOST_POINTS} periods from {start}")
        periods.append(periods[-1].next())
    return periods


SeriesKey = tuple[int, int, tuple[str, ...]]  # department id, metric id, the periods


def series_loader(read: Reader, viewer: Viewer) -> DataLoader[SeriesKey, list[MetricPoint]]:
    """``PointsByDepartmentMetricLoader``: one query for every (department, metric, range) asked."""

    async def load(keys: list[SeriesKey]) -> list[list[MetricPoint]]:
        periods = sorted({period for _, _, wanted in keys for period in wanted})
        statement = where_viewer_sees_departments(
            select(
                Gap.department_id, Gap.metric_id, Gap.period, Gap.actual, Gap.target, Gap.attainment
            ).where(
                col(Gap.department_id).in_(sorted({k[0] for k in keys})),
                col(Gap.metric_id).in_(sorted({k[1] for k in keys})),
                col(Gap.period).in_(periods),
            ),
            viewer,
            Gap.department_id,
        )
        rows = await read(lambda s: s.exec(statement).all())
        found = {(r.department_id, r.metric_id, r.period): r for r in rows}

        def point(department_id: int, metric_id: int, period: str) -> MetricPoint:
            row = found.get((department_id, metric_id, period))
            if row is None:
                return MetricPoint(period=Period.parse(period), value=None, target=None, attainment=None)
            return MetricPoint(
                period=Period.parse(period), value=row.actual, target=row.target, attainment=row.attainment
            )

        return [[point(d, m, p) for p in wanted] for d, m, wanted in keys]

    return DataLoader(load)
