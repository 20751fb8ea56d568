"""Which data plans which month: the latest complete quarter before it.

A quarter smooths what a single month makes noisy (sums such as training hours are lumpy from
month to month) and is the grain most targets are set on. "Complete" means all three of its
months have department values; without any complete quarter the latest month with data is used.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import InvalidArgument
from domain.periods import Period

PLANNABLE_YEARS = range(2000, 2101)  # dates around them stay representable (a quarter before, a year after)


def check_plannable(month: Period) -> None:
    """Refuse, before any job is queued, a month planning cannot mean (a quarter, the year 1)."""
    if not month.is_month:
        raise InvalidArgument(f"planning needs a month (YYYY-MM), got {month}", field="month")
    if month.year not in PLANNABLE_YEARS:
        first, last = PLANNABLE_YEARS[0], PLANNABLE_YEARS[-1]
        raise InvalidArgument(
            f"planning takes a month of the years {first} to {last}, got {month.year:04d}-{month.month:02d}",
            field="month",
        )


def data_period(month: Period, months_with_data: Iterable[str]) -> Period | None:
    """The period to plan ``month`` from, or None when nothing before it has data."""
    if not month.is_month:
        raise InvalidArgument(f"planning needs a month (YYYY-MM), got {month}", field="month")
    before = {Period.parse(m) for m in months_with_data if Period.parse(m) < month}
    quarters = sorted({m.quarter_of() for m in before}, reverse=True)
    for quarter in quarters:
        if all(m in before for m in quarter.months()):
            return quarter
    return max(before) if before else None
