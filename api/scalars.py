"""Custom scalars, mapped onto domain types through ``StrawberryConfig.scalar_map``.

Resolvers and arguments use ``domain.periods.Period`` directly; the map tells Strawberry how
it crosses the wire.
"""

from __future__ import annotations

import strawberry
from strawberry.types.scalar import ScalarDefinition

from domain.periods import Period

PERIOD_SCALAR: ScalarDefinition = strawberry.scalar(
    name="Period",
    description="A month `YYYY-MM` (e.g. 2026-03) or a quarter `YYYY-Qn` (e.g. 2026-Q1).",
    serialize=str,
    parse_value=Period.parse,  # PeriodError says what is expected
)

SCALAR_MAP = {Period: PERIOD_SCALAR}
