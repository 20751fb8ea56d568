"""The KPI reads of the root ``Query``: the metrics, and the months that have observations."""

from __future__ import annotations

import strawberry
from sqlmodel import col, select

from api.context import Info
from api.types.metric import Metric
from domain import models
from domain.periods import Period


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
