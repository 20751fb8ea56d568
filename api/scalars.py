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
    description="A month `YYYY-MM` (e.g. 2026-03), a quarter `YYYY-Qn` (2026-Q1), a half-year `YYYY-Hn` "
    "(2026-H2) or a year `YYYY` (2026). KPIs (gaps, feedback, standings) have months and quarters; the "
    "programme's numbers and appraisal cycles have all four.",
    serialize=str,
    parse_value=Period.parse_any,  # PeriodError says what is expected; KPI fields refuse halves and years
)

SCALAR_MAP = {Period: PERIOD_SCALAR}
