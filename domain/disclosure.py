"""What a gap's drivers may show to someone who may not see small groups of people.

Within a dimension (tenure, team) the segments partition the department's people, so their
shares add up to 1: hiding a small segment is not enough, ``1 − Σ(shown shares)`` gives it back.
Statistical offices answer this with *secondary suppression*; here it is done by merging:

1. Segments of fewer than ``MIN_SEGMENT`` people are merged into one ``OTHER`` segment.
2. If that segment would still hold fewer than ``MIN_SEGMENT`` people, the smallest shown
   segments join it until it holds enough (complementary suppression) — ones with a share
   first: a complement carrying nothing would leave "other" equal to the hidden share. A dimension whose
   segments all end up merged says nothing ("everyone: 100%") and is left out.
3. Every share shown is rounded to ``STEP`` (5 percentage points), so that a difference of
   shown figures — across dimensions (tenure against team) or periods (a quarter against its
   months) — is uncertain by several points and cannot pin one person's part.

The ``employee`` dimension is a person's own share: it is never shown through this path.
Everything shown is then an aggregate of at least ``MIN_SEGMENT`` people and no hidden value
is the difference of shown ones within a dimension.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

MIN_SEGMENT = 5  # fewer people could be told apart by whoever knows the team
STEP = 0.05  # shares shown to the nearest 5 percentage points
OTHER = "(other)"
INDIVIDUAL = "employee"


class DriverRow(Protocol):
    dimension: str
    segment: str
    share: float
    people: int


@dataclass(frozen=True)
class ShownDriver:
    dimension: str
    segment: str
    share: float
    people: int = field(default=0, compare=False)  # how many people the shown segment holds
    headcount: int = field(default=0, compare=False)  # the department's people in the gap's partition

    @property
    def people_share(self) -> float | None:
        return people_share(self.people, self.headcount)

    @property
    def over_representation(self) -> float | None:
        return over_representation(self.share, self.people_share)


def people_share(people: int, headcount: int) -> float | None:
    """A segment's share of the department's people (None before headcounts were computed).

    Shown exactly: team and tenure sizes of at least ``MIN_SEGMENT`` are not personal data;
    what disclosure protects is who carries how much of the gap."""
    return people / headcount if headcount > 0 else None


def over_representation(share: float, people: float | None) -> float | None:
    """Share of the gap ÷ share of the people: 2 means twice the segment's part, 1 an even split."""
    return share / people if people else None


def rounded(share: float, step: float = STEP) -> float:
    """``share`` to the nearest ``step``, half up, clipped to 0..1 (no float noise: 0.15, not 0.150…01)."""
    units = int(share / step + 0.5 + 1e-9)
    return min(1.0, max(0.0, round(units * step, 6)))


def _dimension(rows: list[DriverRow], minimum: int, step: float) -> list[ShownDriver]:
    dimension = rows[0].dimension
    merged = [r for r in rows if r.people < minimum]
    shown = sorted(
        (r for r in rows if r.people >= minimum), key=lambda r: (r.share <= 0, r.people, r.segment)
    )
    if merged:
        while shown and sum(r.people for r in merged) < minimum:
            merged.append(shown.pop(0))  # the complement covering the hidden ones
        if not shown:
            return []  # all of it in "other": nothing to say, and nothing to derive
    headcount = max(getattr(r, "headcount", 0) for r in rows)  # one partition: the same on every row
    result = [ShownDriver(dimension, r.segment, rounded(r.share, step), r.people, headcount) for r in shown]
    if merged:
        share = rounded(sum(r.share for r in merged), step)
        result.append(ShownDriver(dimension, OTHER, share, sum(r.people for r in merged), headcount))
    return sorted(result, key=lambda d: (-d.share, d.segment == OTHER, d.segment))


def disclose(
    rows: Iterable[DriverRow], *, minimum: int = MIN_SEGMENT, step: float = STEP
) -> list[ShownDriver]:
    """The drivers of one gap as a viewer without access to small segments may see them.

    :param rows: the gap's driver rows, any dimensions, any order.
    :return: per dimension (alphabetical), largest share first; no ``employee`` dimension.
    """
    dimensions: dict[str, list[DriverRow]] = defaultdict(list)
    for row in rows:
        if row.dimension != INDIVIDUAL:
            dimensions[row.dimension].append(row)
    return [d for name in sorted(dimensions) for d in _dimension(dimensions[name], minimum, step)]
