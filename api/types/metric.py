from __future__ import annotations

import strawberry

from api.types.enums import Aggregation, Direction
from api.types.node import Node
from domain import models


@strawberry.type(description="A KPI definition.")
class Metric(Node):
    code: str
    name: str
    unit: str
    direction: Direction
    aggregation: Aggregation
    skill: str | None = strawberry.field(description="The skill that moves this metric, if any.")

    @property
    def node_key(self) -> str:
        return self.code

    @classmethod
    def from_row(cls, row: models.Metric) -> Metric:
        return cls(
            code=row.code,
            name=row.name,
            unit=row.unit,
            direction=Direction(row.direction),
            aggregation=Aggregation(row.aggregation),
            skill=row.skill,
        )
