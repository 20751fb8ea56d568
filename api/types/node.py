"""Relay's global object identification: every entity a client caches has an ``id`` unique
across types, so caches normalise departments, employees, metrics, gaps and jobs, and
``Query.node`` refetches any of them.

A global id reads ``Type:key`` — ``Department:STORE``, ``Employee:E0042``, ``Metric:nps``,
``Gap:<metric row>:<department row>:2026-Q3``, ``Salon:3``, ``ImprovementPlan:7`` — and is
opaque to clients. Jobs keep the id they always had (a UUID, unique on its own). Salons and
plans had numeric ids before they were nodes: their numbers stay in ``salonId``/``planId``, and
every argument that takes one takes either form (:func:`numeric_id`), so a client that
normalises by ``id`` can pass it back."""

from __future__ import annotations

import strawberry

from domain.errors import InvalidArgument

MAX_ID = 2**63 - 1  # the largest id both databases store; a larger number cannot be a row's


@strawberry.interface(
    description="An entity with a global id (Relay's global object identification): refetch it with "
    "`Query.node(id:)`."
)
class Node:
    @strawberry.field(description="Unique across every type; opaque: pass it back, do not parse it.")
    def id(self) -> strawberry.ID:
        return global_id(type(self).__name__, self.node_key)

    @property
    def node_key(self) -> str:  # pragma: no cover - every implementing type defines it
        raise NotImplementedError


def global_id(type_name: str, key: str) -> strawberry.ID:
    return strawberry.ID(f"{type_name}:{key}")


def split_global_id(value: str) -> tuple[str, str] | None:
    """``(type, key)``, or None for an id without a type (a job's UUID)."""
    type_name, separator, key = value.partition(":")
    return (type_name, key) if separator and key else None


def numeric_id(value: strawberry.ID, type_name: str, argument: str, kind: str) -> int:
    """The row id a numeric id (``3``) or a global id (``Salon:3``) names, for an argument that
    has always taken the number: digits only, at most ``MAX_ID`` (SQLite would overflow on a
    larger one); another type's global id is refused naming both."""
    text = str(value)
    number = text
    parts = split_global_id(text)
    if parts is not None:
        if parts[0] != type_name:
            raise InvalidArgument(
                f"{argument}: {text[:40]!r} is the global id of another type ({parts[0][:40]}), not of a {kind}"
            )
        number = parts[1]
    if (
        not (number.isascii() and number.isdigit() and len(number) <= len(str(MAX_ID)))
        or not 0 < int(number) <= MAX_ID
    ):
        raise InvalidArgument(
            f"{argument}: not a {kind} id: {text[:40]!r} (a number, or a global id {type_name}:<number>)"
        )
    return int(number)
