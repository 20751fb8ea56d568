"""Rebuilding department values for a scope: load, roll up, replace in one transaction.

Idempotent by construction: the scope's rows are deleted and inserted again in a single
transaction, so a second run, a redelivered message or a retry after a crash leaves the
same rows (ids and ``computed_at`` aside). Concurrent runs over overlapping scopes may
collide on the unique index; the loser fails its transaction and its retry rebuilds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, Connection, Engine, delete, insert, select
from sqlmodel import col

from domain.models import Department, DepartmentValue, Metric, Observation, ValueSource, utcnow
from workers.analytics.rollup import department_values
from workers.detail_results import rebuild_details
from workers.gap_results import rebuild_gaps
from workers.scoping import within

BATCH = 10_000  # rows per executemany: bounded memory and statement size
SCOPE_KEYS = ("metric_codes", "department_codes", "periods")


@dataclass(frozen=True)
class Scope:
    """Which partitions to rebuild; ``None`` along an axis means all of it."""

    metric_ids: list[int] | None
    department_ids: list[int] | None
    periods: list[str] | None

    def where(self, model) -> ColumnElement[bool]:
        """The scope as a parametrised condition on ``model``'s columns."""
        return within(
            model, metric_ids=self.metric_ids, department_ids=self.department_ids, periods=self.periods
        )


def rebuild(engine: Engine, scope: dict[str, Any] | None = None) -> dict[str, object]:
    """Recompute the scope's department values, then the gaps of its metric × department pairs,
    in one transaction; the summary becomes the Job's result."""
    selection = resolve(engine, scope)
    values = department_values(load_observations(engine, selection), load_metrics(engine))
    with engine.begin() as connection:
        connection.execute(delete(DepartmentValue).where(selection.where(DepartmentValue)))
        insert_values(connection, values)
        gap_rows = rebuild_gaps(connection, selection.metric_ids, selection.department_ids)
        details = rebuild_details(connection, selection.metric_ids, selection.department_ids)
    official = values.filter(pl.col("source") == ValueSource.OFFICIAL.value).height
    return {
        "partitions": values.height,
        "official": official,
        "derived": values.height - official,
        "gaps": gap_rows,
        **details,
        "scope": scope or "all",
    }


def resolve(engine: Engine, scope: dict[str, Any] | None) -> Scope:
    """Codes to ids. Unknown codes match nothing; an unknown key is refused, not ignored
    (a misspelt key would otherwise widen the scope to everything)."""
    scope = scope or {}
    unknown = set(scope) - set(SCOPE_KEYS)
    if unknown:
        raise ValueError(f"unknown scope key(s) {sorted(unknown)}; expected {list(SCOPE_KEYS)}")
    metric_codes, department_codes, periods = (_codes(scope, key) for key in SCOPE_KEYS)
    with engine.connect() as connection:
        return Scope(
            metric_ids=_ids(connection, Metric, metric_codes),
            department_ids=_ids(connection, Department, department_codes),
            periods=periods,
        )


def load_metrics(engine: Engine) -> pl.DataFrame:
    return pl.read_database(
        select(col(Metric.id).label("metric_id"), col(Metric.aggregation)),
        connection=engine,
        schema_overrides={"metric_id": pl.Int64, "aggregation": pl.String},
    )


def load_observations(engine: Engine, selection: Scope) -> pl.DataFrame:
    query = select(
        col(Observation.metric_id),
        col(Observation.department_id),
        col(Observation.employee_id),
        col(Observation.period),
        col(Observation.value),
        col(Observation.numerator),
        col(Observation.denominator),
    ).where(selection.where(Observation))
    return pl.read_database(
        query,
        connection=engine,
        schema_overrides={"employee_id": pl.Int64, "numerator": pl.Float64, "denominator": pl.Float64},
    )


def insert_values(connection: Connection, values: pl.DataFrame) -> None:
    """Insert in batches of ``BATCH`` rows, one executemany each, all stamped alike."""
    computed_at = utcnow()
    for batch in values.iter_slices(BATCH):
        rows = [{**row, "computed_at": computed_at} for row in batch.to_dicts()]
        connection.execute(insert(DepartmentValue.__table__), rows)


def _codes(scope: dict[str, Any], key: str) -> list[str] | None:
    codes = scope.get(key)
    if codes is None:
        return None
    if isinstance(codes, str) or not isinstance(codes, Sequence):
        raise TypeError(f"scope[{key!r}] must be a list of strings, not {type(codes).__name__}")
    return [str(code) for code in codes]


def _ids(connection: Connection, model: type[Metric] | type[Department], codes: list[str] | None):
    if codes is None:
        return None
    return list(connection.scalars(select(col(model.id)).where(col(model.code).in_(codes))))
