"""Periods: ``YYYY-MM`` is the base grain, ``YYYY-Qn`` rolls months up.

Periods are stored as these strings, so they sort chronologically within a grain and read the
same in the database, the import files and the API.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from domain.errors import UserError

_PATTERN = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$")


class PeriodError(ValueError, UserError):
    """Raised for a string that is not a period; the message says what is expected."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int | None = None  # set for a month
    quarter: int | None = None  # set for a quarter

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise PeriodError(
                f"invalid period {text!r}: expected YYYY-MM (e.g. 2026-03) or YYYY-Qn (e.g. 2026-Q1)"
            )
        year, month, quarter = match.groups()
        if month:
            return cls(int(year), month=int(month))
        return cls(int(year), quarter=int(quarter))

    @property
    def is_month(self) -> bool:
        return self.month is not None

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.is_month else f"{self.year}-Q{self.quarter}"

    def months(self) -> list[Period]:
        """The months this period covers (itself for a month)."""
        if self.is_month:
            return [self]
        first = 3 * (self.quarter - 1) + 1
        return [Period(self.year, month=m) for m in range(first, first + 3)]

    def quarter_of(self) -> Period:
        if not self.is_month:
            return self
        return Period(self.year, quarter=(self.month - 1) // 3 + 1)

    def previous(self) -> Period:
        """The period before, at the same grain."""
        if self.is_month:
            return (
                Period(self.year - 1, month=12)
                if self.month == 1
                else Period(self.year, month=self.month - 1)
            )
        return (
            Period(self.year - 1, quarter=4)
            if self.quarter == 1
            else Period(self.year, quarter=self.quarter - 1)
        )

    def next(self) -> Period:
        """The period after, at the same grain."""
        if self.is_month:
            return Period(self.year + 1, month=1) if self.month == 12 else Period(self.year, month=self.month + 1)
        return Period(self.year + 1, quarter=1) if self.quarter == 4 else Period(self.year, quarter=self.quarter + 1)

    def start(self) -> date:
        return date(self.year, self.months()[0].month, 1)

    def end(self) -> date:
        last = self.months()[-1].month
        return date(self.year, last, calendar.monthrange(self.year, last)[1])


def latest_complete_quarter(months: set[Period]) -> Period | None:
    """The latest quarter every one of whose months is in ``months`` — what a client can ask
    ``gaps`` for without comparing part of a quarter with a whole one."""
    quarters = sorted({month.quarter_of() for month in months}, reverse=True)
    return next((q for q in quarters if all(m in months for m in q.months())), None)
