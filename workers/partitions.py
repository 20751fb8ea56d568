"""Which periods a recompute of some months must read and rewrite, per result table.

A month's department value is also the next month's ``previous`` and a part of its quarter,
and that quarter is the next quarter's ``previous``; drivers and top performers of a quarter
read all its months. So rebuilding months ``M`` rewrites:

- department values: ``M``;
- gaps: ``M``, the month after each, their quarters ``Q`` and the quarter after each, computed
  from the values of the months of ``Q``, the quarters before and after (``context``);
- drivers, top performers, feedback themes, growth needs: ``M`` and ``Q``, from the
  observations (feedback, values) of the months of ``Q``.

``None`` means every period: a full rebuild reads and rewrites everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.periods import Period


def _texts(periods) -> list[str]:
    return sorted({str(period) for period in periods})


@dataclass(frozen=True)
class Periods:
    """The period lists of one recompute; each is ``None`` for "all"."""

    values: list[str] | None  # months whose department values are rebuilt
    gaps: list[str] | None  # months and quarters whose gaps are rebuilt
    context: list[str] | None  # months (and their quarters) the gaps are computed from
    details: list[str] | None  # months and quarters of drivers, performers, themes, needs
    observed: list[str] | None  # months whose observations / feedback are read

    @classmethod
    def of(cls, periods: list[str] | None) -> Periods:
        """From a scope's periods (months, or quarters standing for their months)."""
        if periods is None:
            return cls(None, None, None, None, None)
        months = {month for text in periods for month in Period.parse(text).months()}
        quarters = {month.quarter_of() for month in months}
        around = quarters | {q.previous() for q in quarters} | {q.next() for q in quarters}
        return cls(
            values=_texts(months),
            gaps=_texts(months | {m.next() for m in months} | quarters | {q.next() for q in quarters}),
            context=_texts(m for q in around for m in q.months()) + _texts(around),
            details=_texts(months | quarters),
            observed=_texts(m for q in quarters for m in q.months()),
        )
