"""What every DataLoader module shares: how a batch reads, how its keys are bound, and how its
rows go back to the keys."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, bindparam
from sqlmodel import Session, col
from strawberry.dataloader import DataLoader

T = TypeVar("T")

Reader = Callable[[Callable[[Session], Any]], Awaitable[Any]]


class lazy_loader:  # noqa: N801  (used like a field)
    """``name = lazy_loader("_batch_method")`` in a loaders class: the request's DataLoader for
    that method, made the first time a resolver asks for it. A request uses a handful of the
    forty-odd loaders; making them all up front took about 0.1 ms of every request."""

    def __init__(self, method: str) -> None:
        self.method = method

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        loader = instance.__dict__[self.name] = DataLoader(getattr(instance, self.method))
        return loader


@dataclass(frozen=True)
class SalonPersonRecord:
    """The few columns of a person a salon (or a plan) needs even when the viewer may not see them."""

    employee_id: str
    name: str
    team: str | None
    department_id: int
    row_id: int


def keys_in(*columns) -> list[ColumnElement[bool]]:
    """``column IN (:k0)``, ``column IN (:k1)``…: a condition per place of a loader's keys, as
    expanding bind parameters, so that its statement is built once (at import) and a batch only
    binds its values (:func:`key_values`). Building a statement took longer than running it.

    With several places this is a superset filter (each column IN the values its place takes): a
    request asks for one period (and metric) at a time, so it reads what it needs without a tuple
    IN, which not every SQLite build has; exact matching happens when grouping."""
    return [col(column).in_(bindparam(f"k{place}", expanding=True)) for place, column in enumerate(columns)]


def key_values(keys: Sequence[Any], places: int = 1) -> dict[str, list]:
    """The parameters of :func:`keys_in` for a batch's keys (tuples when ``places`` > 1)."""
    if places == 1:
        return {"k0": sorted(set(keys))}
    return {f"k{place}": sorted({key[place] for key in keys}) for place in range(places)}


def by_key(rows: Sequence[T], keys: Sequence[Any], key: Callable[[T], Any]) -> list[T | None]:
    found = {key(row): row for row in rows}
    return [found.get(k) for k in keys]


def grouped(rows: Sequence[T], keys: Sequence[Any], key: Callable[[T], Any]) -> list[list[T]]:
    groups: dict[Any, list[T]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [groups.get(k, []) for k in keys]
