"""Page sizes: ``first`` on the lists a screen shows the top of (gaps, drivers, themes), which
the query cost (:mod:`api.limits`) counts instead of its estimate for the list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

import strawberry

from domain.errors import InvalidArgument

T = TypeVar("T")

FIRST = Annotated[
    int | None,
    strawberry.argument(description="At most this many, from the top of the list; all when omitted."),
]


def first_of(rows: Sequence[T], first: int | None) -> list[T]:
    """The first ``first`` rows (all when None); a negative size is refused naming ``first``."""
    if first is None:
        return list(rows)
    if first < 0:
        raise InvalidArgument(f"first: a page size cannot be negative, got {first}")
    return list(rows[:first])
