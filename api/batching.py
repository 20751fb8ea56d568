"""What every DataLoader module shares: how a batch reads, and how its rows go back to the keys."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlmodel import Session

T = TypeVar("T")

Reader = Callable[[Callable[[Session], Any]], Awaitable[Any]]


@dataclass(frozen=True)
class SalonPersonRecord:
    """The few columns of a person a salon (or a plan) needs even when the viewer may not see them."""

    employee_id: str
    name: str
    team: str | None
    department_id: int
    row_id: int


def by_key(rows: Sequence[T], keys: Sequence[Any], key: Callable[[T], Any]) -> list[T | None]:
    found = {key(row): row for row in rows}
    return [found.get(k) for k in keys]


def grouped(rows: Sequence[T], keys: Sequence[Any], key: Callable[[T], Any]) -> list[list[T]]:
    groups: dict[Any, list[T]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [groups.get(k, []) for k in keys]
