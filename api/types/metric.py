from __future__ import annotations

import strawberry

from api.types.enums import Aggregation, Direction
from api.types.node import Node
from domain import models


@strawberry.type(description="A KPI definition.")
class Metric(Node):
    code: str = strawberry.field(description="The metric's code, its natural key.")
    name: str = strawberry.field(description="Its name as imported (labels give it in other languages).")
    unit: str = strawberry.field(description="Its unit; `%` means values are fractions (0.08 is 8%).")
    direction: Direction = strawberry.field(description="Which way it improves.")
    aggregation: Aggregation = strawberry.field(
        description="How months roll up into quarters and employees into their department."
    )
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
