"""Periods: ``YYYY-MM`` is the base grain, ``YYYY-Qn`` rolls months up; appraisal cycles and the
programme's own numbers also speak of halves (``YYYY-Hn``) and years (``YYYY``).

Periods are stored as these strings, so they sort chronologically within a grain and read the
same in the database, the import files and the API.

KPIs — observations, targets, gaps — live in months and quarters only, so :meth:`Period.parse`
takes those two and nothing else (an import's period column, a gap's period). Halves and years
are read by :meth:`Period.parse_any`, where a cycle or a programme period is meant; a caller
that got a period of any grain and needs a KPI period checks it with :func:`kpi_period`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from domain.errors import UserError

_PATTERN = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$")
_ANY_PATTERN = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$")
KPI_EXPECTED = "expected YYYY-MM (e.g. 2026-03) or YYYY-Qn (e.g. 2026-Q1)"
ANY_EXPECTED = "expected YYYY-MM (e.g. 2026-10), YYYY-Qn (2026-Q4), YYYY-Hn (2026-H2) or YYYY (2026)"


class PeriodError(ValueError, UserError):
    """Raised for a string that is not a period; the message says what is expected."""

    def __init__(self, reason: str, *, field: str | None = None) -> None:
        UserError.__init__(self, reason, field=field)


@dataclass(frozen=True, order=True)
class Period:
    """A month, a quarter, a half-year or a year (none of ``month``, ``quarter``, ``half`` set).

    Comparisons order periods of one grain; periods of different grains do not compare."""

    year: int
    month: int | None = None  # set for a month
    quarter: int | None = None  # set for a quarter
    half: int | None = None  # set for a half-year

    @classmethod
    def parse(cls, text: str) -> Period:
        """A month or a quarter: the grains KPIs have."""
        match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise PeriodError(f"invalid period {text!r}: {KPI_EXPECTED}")
        year, month, quarter = match.groups()
        if month:
            return cls(int(year), month=int(month))
        return cls(int(year), quarter=int(quarter))

    @classmethod
    def parse_any(cls, text: str) -> Period:
        """A month, a quarter, a half-year or a year: the forms appraisal cycles take."""
        match = _ANY_PATTERN.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise PeriodError(f"invalid period {text!r}: {ANY_EXPECTED}")
        year, month, quarter, half = match.groups()
        return cls(
            int(year),
            month=int(month) if month else None,
            quarter=int(quarter) if quarter else None,
            half=int(half) if half else None,
        )

    @property
    def is_month(self) -> bool:
        return self.month is not None

    @property
    def is_quarter(self) -> bool:
        return self.quarter is not None

    @property
    def is_half(self) -> bool:
        return self.half is not None

    @property
    def is_year(self) -> bool:
        return self.month is None and self.quarter is None and self.half is None

    @property
    def grain(self) -> str:
        """``month``, ``quarter``, ``half`` or ``year``."""
        if self.is_month:
            return "month"
        if self.is_quarter:
            return "quarter"
        return "half" if self.is_half else "year"

    def __str__(self) -> str:
        if self.is_month:
            return f"{self.year}-{self.month:02d}"
        if self.is_quarter:
            return f"{self.year}-Q{self.quarter}"
        return f"{self.year}-H{self.half}" if self.is_half else f"{self.year}"

    def _month_range(self) -> tuple[int, int]:
        """The first and last month numbers it covers."""
        if self.is_month:
            return self.month, self.month
        if self.is_quarter:
            return 3 * self.quarter - 2, 3 * self.quarter
        if self.is_half:
            return 6 * self.half - 5, 6 * self.half
        return 1, 12

    def months(self) -> list[Period]:
        """The months this period covers (itself for a month)."""
        first, last = self._month_range()
        return [Period(self.year, month=m) for m in range(first, last + 1)]

    def quarter_of(self) -> Period:
        """A month's quarter (a quarter is its own); halves and years span several."""
        if self.is_month:
            return Period(self.year, quarter=(self.month - 1) // 3 + 1)
        if self.is_quarter:
            return self
        raise ValueError(f"{self} spans several quarters")

    def contains(self, other: Period) -> bool:
        """Every month of ``other`` lies in this period."""
        months = self.months()
        first, last = other.months()[0], other.months()[-1]
        return months[0] <= first and last <= months[-1]

    def previous(self) -> Period:
        """The period before, at the same grain."""
        return self._step(-1)

    def next(self) -> Period:
        """The period after, at the same grain."""
        return self._step(1)

    def _step(self, by: int) -> Period:
        if self.is_year:
            return Period(self.year + by)
        number, count = (
            (self.month, 12) if self.is_month else (self.quarter, 4) if self.is_quarter else (self.half, 2)
        )
        index = self.year * count + number - 1 + by
        year, number = divmod(index, count)
        return Period(year, **{self.grain: number + 1})

    def start(self) -> date:
        return date(self.year, self._month_range()[0], 1)

    def end(self) -> date:
        last = self._month_range()[1]
        return date(self.year, last, calendar.monthrange(self.year, last)[1])


def kpi_period(period: Period, field: str = "period") -> Period:
    """``period`` when it is a month or a quarter; otherwise the error naming ``field``."""
    if not (period.is_month or period.is_quarter):
        raise PeriodError(
            f"{period} is a {period.grain}: KPIs have months and quarters; {KPI_EXPECTED}", field=field
        )
    return period


def latest_complete_quarter(months: set[Period]) -> Period | None:
    """The latest quarter every one of whose months is in ``months`` — what a client can ask
    ``gaps`` for without comparing part of a quarter with a whole one."""
    quarters = sorted({month.quarter_of() for month in months}, reverse=True)
    return next((q for q in quarters if all(m in months for m in q.months())), None)
