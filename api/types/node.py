"""Relay's global object identification: every entity a client caches has an ``id`` unique
across types, so caches normalise departments, employees, metrics, gaps and jobs, and
``Query.node`` refetches any of them.

A global id reads ``Type:key`` — ``Department:STORE``, ``Employee:E0042``, ``Metric:nps``,
``Gap:<metric row>:<department row>:2026-Q3`` — and is opaque to clients. Jobs keep the id
they always had (a UUID, unique on its own)."""

from __future__ import annotations

import strawberry


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
