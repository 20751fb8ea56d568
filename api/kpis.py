"""The KPI reads of the root ``Query``: the metrics, and the months that have observations."""

from __future__ import annotations

import strawberry
from sqlalchemy import func
from sqlmodel import col, select

from api.context import Info
from api.types.metric import Metric
from domain import models
from domain.periods import Period, latest_complete_quarter


@strawberry.type
class KpiQuery:
    @strawberry.field(description="Every metric (KPI definition), by code.")
    async def metrics(self, info: Info) -> list[Metric]:
        statement = select(models.Metric).order_by(col(models.Metric.code))
        rows = await info.context.read(lambda s: s.exec(statement).all())
        return [Metric.from_row(row) for row in rows]

    @strawberry.field(description="The months that have observations, latest first.")
    async def periods(self, info: Info) -> list[Period]:
        statement = (
            select(models.Observation.period).distinct().order_by(col(models.Observation.period).desc())
        )
        rows = await info.context.read(lambda s: s.exec(statement).all())
        return [Period.parse(row) for row in rows]

    @strawberry.field(description="The latest month with data (observations); null before any import.")
    async def latest_period(self, info: Info) -> Period | None:
        statement = select(func.max(models.Observation.period))
        latest = await info.context.read(lambda s: s.exec(statement).one())
        return Period.parse(latest) if latest else None

    @strawberry.field(
        description="The latest quarter every one of whose months has data (observations): the quarter "
        "whose gaps compare whole periods. Null when no quarter is complete."
    )
    async def latest_complete_period(self, info: Info) -> Period | None:
        statement = select(models.Observation.period).distinct()
        rows = await info.context.read(lambda s: s.exec(statement).all())
        return latest_complete_quarter({Period.parse(row) for row in rows})
