"""Upsert validated rows on their natural keys and count what changed.

Classification happens in Polars against the rows already stored (inserted / updated /
unchanged), so only real changes are written and re-importing the same data writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, Table, select

from domain.importing import bulk
from domain.importing.templates import ImportKind
from domain.models import (
    Department,
    Employee,
    Feedback,
    GrowthRecord,
    Label,
    Metric,
    Observation,
    Review,
    Target,
)


@dataclass(frozen=True)
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class TableSpec:
    """How a kind's validated frame maps onto its table."""

    table: Table
    key: tuple[str, ...]  # table columns of the natural key
    values: tuple[str, ...]  # table columns an import may change
    rows: Callable[[pl.DataFrame], pl.DataFrame]  # validated frame → table columns
    schema: dict[str, pl.DataType]  # key + values as stored
    scope: tuple[str, ...] = ()  # columns that narrow the load of stored rows to a batch's neighbourhood
    json: tuple[str, ...] = ()  # JSON columns: lists in frames, JSON text on the bulk path
    stored: object = None  # a condition on the stored rows an import may match (None: all)


def _department_level(frame: pl.DataFrame) -> pl.Expr:
    return pl.when(pl.col("employee_id").is_null()).then(pl.col("department_id")).alias("department_level")


SPECS: dict[ImportKind, TableSpec] = {
    ImportKind.DEPARTMENTS: TableSpec(
        Department.__table__, ("code",), ("name", "timezone"), lambda f: f.select("code", "name", "timezone"),
        {"code": pl.String, "name": pl.String, "timezone": pl.String},
    ),
    ImportKind.EMPLOYEES: TableSpec(
        Employee.__table__, ("employee_id",),
        ("name", "department_id", "hire_date", "email", "team", "level", "locale"),
        lambda f: f.select("employee_id", "name", "department_id", "hire_date", "email", "team", "level", "locale"),
        {"employee_id": pl.String, "name": pl.String, "department_id": pl.Int64, "hire_date": pl.Date,
         "email": pl.String, "team": pl.String, "level": pl.String, "locale": pl.String},
    ),
    ImportKind.METRICS: TableSpec(
        Metric.__table__, ("code",), ("name", "unit", "direction", "aggregation", "skill", "min_value", "max_value"),
        lambda f: f.select(
            "code", "name", "unit", "direction", "aggregation", "skill",
            pl.col("min").alias("min_value"), pl.col("max").alias("max_value"),
        ),
        {"code": pl.String, "name": pl.String, "unit": pl.String, "direction": pl.String,
         "aggregation": pl.String, "skill": pl.String, "min_value": pl.Float64, "max_value": pl.Float64},
    ),
    ImportKind.TARGETS: TableSpec(
        Target.__table__, ("metric_id", "department_id", "period"), ("target",),
        lambda f: f.select("metric_id", "department_id", "period", "target"),
        {"metric_id": pl.Int64, "department_id": pl.Int64, "period": pl.String, "target": pl.Float64},
        scope=("metric_id", "department_id"),
    ),
    ImportKind.OBSERVATIONS: TableSpec(
        Observation.__table__, ("metric_id", "period", "employee_id", "department_level"),
        ("department_id", "value", "numerator", "denominator"),
        lambda f: f.select(
            "metric_id", "period", pl.col("employee_ref").alias("employee_id"), "department_id",
            "value", "numerator", "denominator",
        ),
        {"metric_id": pl.Int64, "period": pl.String, "employee_id": pl.Int64, "department_id": pl.Int64,
         "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64},
        scope=("metric_id", "period", "employee_id"),
    ),
    ImportKind.REVIEWS: TableSpec(
        Review.__table__, ("employee_id", "cycle"), ("score",),
        lambda f: f.select(pl.col("employee_ref").alias("employee_id"), "cycle", "score"),
        {"employee_id": pl.Int64, "cycle": pl.String, "score": pl.Float64},
        scope=("employee_id", "cycle"),
    ),
    ImportKind.FEEDBACK: TableSpec(
        Feedback.__table__, ("fingerprint",), ("employee_id", "department_id", "period", "metric_id", "text", "themes"),
        lambda f: f.select(
            "fingerprint", pl.col("employee_ref").alias("employee_id"), "department_id", "period", "metric_id", "text",
            "themes",
        ),
        {"fingerprint": pl.String, "employee_id": pl.Int64, "department_id": pl.Int64, "period": pl.String,
         "metric_id": pl.Int64, "text": pl.String, "themes": pl.List(pl.String)},
        json=("themes",),
    ),
    ImportKind.LABELS: TableSpec(
        Label.__table__, ("kind", "code", "locale"), ("name",), lambda f: f.select("kind", "code", "locale", "name"),
        {"kind": pl.String, "code": pl.String, "locale": pl.String, "name": pl.String},
    ),
    ImportKind.GROWTH: TableSpec(
        GrowthRecord.__table__, ("employee_id", "date", "kind", "skill"), ("score", "note"),
        lambda f: f.select(pl.col("employee_ref").alias("employee_id"), "date", "kind", "skill", "score", "note"),
        {"employee_id": pl.Int64, "date": pl.Date, "kind": pl.String, "skill": pl.String, "score": pl.Float64,
         "note": pl.String},
        scope=("employee_id", "kind"),
        # contributions recorded for a salon are keyed by salon, not by date: never an import's
        stored=GrowthRecord.__table__.c.contribution.is_(None),
    ),
}  # fmt: skip


SCOPE_LIMIT = 5_000  # most values one IN (...) lists when narrowing the load of stored rows
STORED_BATCH = 100_000  # rows turned into Python objects at a time while loading stored rows


def read_frame(connection: Connection, statement, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Stored rows as a frame, fetched in batches: a million rows never exist as Python tuples at once."""
    batches = pl.read_database(
        statement, connection, iter_batches=True, batch_size=STORED_BATCH, schema_overrides=schema
    )
    frames = [batch.select(schema.keys()).cast(schema) for batch in batches]
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


# Kinds whose rows point at rows of the same table: (file column, table column, key column).
LINKS: dict[ImportKind, tuple[str, str, str]] = {
    ImportKind.DEPARTMENTS: ("parent_code", "parent_id", "code"),
    ImportKind.EMPLOYEES: ("manager_id", "manager_id", "employee_id"),
}


def _with_link_codes(connection: Connection, kind: ImportKind, stored: pl.DataFrame) -> pl.DataFrame:
    """Stored rows get ``_link`` = the natural key of the row their parent/manager column names."""
    _, column, key = LINKS[kind]
    table = SPECS[kind].table
    rows = connection.execute(select(table.c.id, table.c[column], table.c[key])).all()
    all_rows = pl.DataFrame(
        rows, schema={"id": pl.Int64, "_link_id": pl.Int64, "_key": pl.String}, orient="row"
    )
    linked = all_rows.join(
        all_rows.select(pl.col("id").alias("_link_id"), pl.col("_key").alias("_link")),
        on="_link_id",
        how="left",
    )
    return stored.join(linked.select("id", "_link"), on="id", how="left")


def link(connection: Connection, kind: ImportKind, valid: pl.DataFrame) -> None:
    """Second pass for parents/managers: the rows they point at may have been inserted just now."""
    if kind not in LINKS:
        return
    file_column, column, key = LINKS[kind]
    table = SPECS[kind].table
    rows = connection.execute(select(table.c.id, table.c[key], table.c[column])).all()
    current = pl.DataFrame(rows, schema={"id": pl.Int64, key: pl.String, "_current": pl.Int64}, orient="row")
    ids = current.select(pl.col(key).alias(file_column), pl.col("id").alias("_wanted"))
    wanted = (
        valid.select(key, file_column)
        .join(ids, on=file_column, how="left")
        .join(current, on=key, how="inner")
    )
    changed = wanted.filter(~pl.col("_wanted").eq_missing(pl.col("_current")))
    bulk.update(connection, table, changed.select("id", pl.col("_wanted").alias(column)))


def _stored(connection: Connection, spec: TableSpec, incoming: pl.DataFrame) -> pl.DataFrame:
    """The stored rows that can match ``incoming``: id, key and value columns."""
    stored_columns = [name for name in spec.schema if name in spec.table.c]
    statement = select(spec.table.c.id, *(spec.table.c[name] for name in stored_columns))
    if spec.stored is not None:
        statement = statement.where(spec.stored)
    for name in spec.scope:
        values = incoming.get_column(name).unique()
        if values.len() > SCOPE_LIMIT:
            continue  # too many to list: the other columns narrow the load
        if values.null_count():  # department-level observations have no employee
            condition = spec.table.c[name].in_(values.drop_nulls().to_list()) | spec.table.c[name].is_(None)
        else:
            condition = spec.table.c[name].in_(values.to_list())
        statement = statement.where(condition)
    schema = {"id": pl.Int64, **{name: spec.schema[name] for name in stored_columns}}
    frame = read_frame(connection, statement, schema)
    if "department_level" in spec.key:
        frame = frame.with_columns(_department_level(frame))
    return frame


@dataclass(frozen=True)
class Plan:
    inserts: pl.DataFrame  # table columns
    updates: pl.DataFrame  # id + the value columns
    counts: Counts
    changed_rows: pl.Series  # spreadsheet rows that insert or update something


def classify(connection: Connection, kind: ImportKind, valid: pl.DataFrame) -> Plan:
    spec = SPECS[kind]
    incoming = spec.rows(valid).with_columns(valid.get_column("row"))
    if "department_level" in spec.key:
        incoming = incoming.with_columns(_department_level(incoming))
    stored = _stored(connection, spec, incoming)
    compared = list(spec.values)
    if kind in LINKS:  # a new parent or manager is a change too
        stored = _with_link_codes(connection, kind, stored)
        incoming = incoming.with_columns(valid.get_column(LINKS[kind][0]).alias("_link"))
        compared.append("_link")
    joined = incoming.join(stored, on=list(spec.key), how="left", nulls_equal=True, suffix="_stored")
    is_new = pl.col("id").is_null()
    same = pl.all_horizontal(pl.col(name).eq_missing(pl.col(f"{name}_stored")) for name in compared)
    written = [name for name in incoming.columns if name not in ("department_level", "_link", "row")]
    inserts = joined.filter(is_new).select(written)
    updates = joined.filter(~is_new & ~same).select("id", *spec.values)
    unchanged = joined.height - inserts.height - updates.height
    changed = joined.filter(is_new | ~same).get_column("row")
    return Plan(inserts, updates, Counts(inserts.height, updates.height, unchanged), changed)


def _encode(frame: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    for name in spec.json:
        if name in frame.columns:
            encoded = [
                json.dumps(value.to_list() if value is not None else [], ensure_ascii=False)
                for value in frame[name]
            ]
            frame = frame.with_columns(pl.Series(name, encoded, dtype=pl.String))
    return frame


def write(connection: Connection, kind: ImportKind, plan: Plan, valid: pl.DataFrame) -> None:
    spec = SPECS[kind]
    bulk.insert(connection, spec.table, _encode(plan.inserts, spec))
    bulk.update(connection, spec.table, _encode(plan.updates, spec))
    link(connection, kind, valid)
