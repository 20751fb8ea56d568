"""Custom scalars, mapped onto domain types through ``StrawberryConfig.scalar_map``.

Resolvers and arguments use ``domain.periods.Period`` directly; the map tells Strawberry how
it crosses the wire.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import strawberry
from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

from domain.periods import Period

PERIOD_SCALAR: ScalarDefinition = strawberry.scalar(
    name="Period",
    description="A month `YYYY-MM` (e.g. 2026-03), a quarter `YYYY-Qn` (2026-Q1), a half-year `YYYY-Hn` "
    "(2026-H2) or a year `YYYY` (2026). KPIs (gaps, feedback, standings) have months and quarters; the "
    "programme's numbers and appraisal cycles have all four.",
    specified_by_url="https://www.iso.org/iso-8601-date-and-time-format.html",
    serialize=str,
    parse_value=Period.parse_any,  # PeriodError says what is expected; KPI fields refuse halves and years
)

# Strawberry's own dates, with the specification they follow, so generated client types are
# dates rather than unknown
DATE_SCALAR = dataclasses.replace(
    DateDefinition,
    description="A calendar date `YYYY-MM-DD` (RFC 3339 full-date).",
    specified_by_url="https://scalars.graphql.org/andimarek/local-date.html",
)
DATE_TIME_SCALAR = dataclasses.replace(
    DateTimeDefinition,
    description="An instant with its UTC offset, `YYYY-MM-DDThh:mm:ss[.ffffff]+hh:mm` (RFC 3339 date-time).",
    specified_by_url="https://scalars.graphql.org/andimarek/date-time.html",
)

SCALAR_MAP = {Period: PERIOD_SCALAR, date: DATE_SCALAR, datetime: DATE_TIME_SCALAR}
