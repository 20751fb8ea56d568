"""The rebuild scope: which partitions a recompute rebuilds (``RebuildScope``, from a job's
``scope`` argument by ``resolve``), and one way to say "the rows of this scope" for every table
the recompute reads or replaces (``within``).

Kept apart from ``workers.rebuild`` so the modules that read and write one kind of result
(``gap_results``, ``detail_results``) depend on the scope, not on the pipeline that calls them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, select, true
from sqlmodel import col

from domain.models import Department, Metric
from workers.partitions import Periods

SCOPE_KEYS = ("metric_codes", "department_codes", "periods")


def within(
    model,
    *,
    metric_ids: list[int] | None = None,
    department_ids: list[int] | None = None,
    periods: list[str] | None = None,
) -> ColumnElement[bool]:
    """A parametrised condition on ``model``'s metric_id / department_id / period columns;
    ``None`` on an axis (or a table without that column) means all of it."""
    condition: ColumnElement[bool] = true()
    for name, allowed in (("metric_id", metric_ids), ("department_id", department_ids), ("period", periods)):
        if allowed is not None and hasattr(model, name):
            condition = condition & col(getattr(model, name)).in_(allowed)
    return condition


@dataclass(frozen=True)
class RebuildScope:
    """Which partitions to rebuild; ``None`` along an axis means all of it. (Not the viewer's
    permission scope — ``api.viewer`` — nor an ASGI scope.)"""

    metric_ids: list[int] | None
    department_ids: list[int] | None
    periods: Periods

    def pairs(self, model, periods: list[str] | None = None) -> ColumnElement[bool]:
        """The scope's metric × department pairs in ``periods`` (None: all) on ``model``'s columns."""
        return within(model, metric_ids=self.metric_ids, department_ids=self.department_ids, periods=periods)


def resolve(engine: Engine, scope: dict[str, Any] | None) -> RebuildScope:
    """Codes to ids, periods to the lists each table needs. Unknown codes match nothing; an
    unknown key is refused, not ignored (a misspelt key would otherwise widen the scope to
    everything), and so is a malformed period.

    A rebuild of some periods names every metric and department it covers, even when the scope
    leaves them open: its deletes then find their rows through the result tables' keys, which
    lead with metric and department, instead of scanning every row (which took most of a
    one-month rebuild's time on PostgreSQL)."""
    scope = scope or {}
    unknown = set(scope) - set(SCOPE_KEYS)
    if unknown:
        raise ValueError(f"unknown scope key(s) {sorted(unknown)}; expected {list(SCOPE_KEYS)}")
    metric_codes, department_codes, periods = (_codes(scope, key) for key in SCOPE_KEYS)
    every = periods is not None  # see above
    with engine.connect() as connection:
        return RebuildScope(
            metric_ids=_ids(connection, Metric, metric_codes, every=every),
            department_ids=_ids(connection, Department, department_codes, every=every),
            periods=Periods.of(periods),
        )


def _codes(scope: dict[str, Any], key: str) -> list[str] | None:
    codes = scope.get(key)
    if codes is None:
        return None
    if isinstance(codes, str) or not isinstance(codes, Sequence):
        raise TypeError(f"scope[{key!r}] must be a list of strings, not {type(codes).__name__}")
    return [str(code) for code in codes]


def _ids(
    connection: Connection, model: type[Metric] | type[Department], codes: list[str] | None, *, every: bool
) -> list[int] | None:
    """The ids of ``codes``; ``None`` (all) stays ``None`` unless ``every`` asks for the list."""
    if codes is None:
        return list(connection.scalars(select(col(model.id)).order_by(col(model.id)))) if every else None
    return list(connection.scalars(select(col(model.id)).where(col(model.code).in_(codes))))
