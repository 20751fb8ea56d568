"""Rebuilding the results of a scope: read once, compute in Polars, replace in one transaction.

Idempotent by construction: each result table's rows of the scope are deleted and inserted
again in a single transaction (on PostgreSQL drivers and top performers only where they
change, ``tables.sync``), so a second run, a redelivered message or a retry after a crash
leaves the same rows (ids and ``computed_at`` aside). On PostgreSQL a rebuild holds a lock per
metric (``lock_metrics``), so runs over overlapping scopes take turns; on SQLite a rebuild
holds the file's write lock from its first read (``hold_write_lock``), so rebuilds and imports
take turns whole.

A recompute has two parts (``part``), so that a large one can fan out (``workers.fanout``):
``metrics`` — department values, gaps, drivers, top performers, which belong to metric ×
department pairs and split by metric; ``departments`` — feedback themes and growth needs,
which belong to a department whole and read the values of all its metrics, so they run once,
after the metric parts. ``None`` runs both. The metric part ends with the improvement plans on
its metrics (``workers.plan_results``): their progress and effect read the values it wrote;
``rebuild_plans`` does the same for the plans a person made, changed or cancelled. The
department part ends with the programme metrics of the periods it moved
(``workers.programme_results``), which read the gaps, growth records and plans of them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import polars as pl
from sqlalchemy import Connection, Engine, select, text
from sqlmodel import col

from domain.db import hold_write_lock, job_statements
from domain.errors import InvalidArgument
from domain.models import DepartmentValue, ImprovementPlan, Metric, Observation, ValueSource
from workers import tables
from workers.analytics.rollup import OBSERVATIONS_SCHEMA, department_values
from workers.detail_results import read_employees, rebuild_department_details, rebuild_pair_details
from workers.gap_results import read_gap_inputs, rebuild_gaps
from workers.plan_results import rebuild_plan_results
from workers.programme_results import plan_months, rebuild_programme, recompute_periods
from workers.scoping import RebuildScope, resolve

LOCK_SPACE = 0x53414C4E  # "SALN": the first key of the recompute's advisory locks (``lock_metrics``)
Part = Literal["metrics", "departments"]
METRICS_SCHEMA = pl.Schema(  # the metrics as the recompute reads them: each analytics schema is a projection
    {"metric_id": pl.Int64, "direction": pl.String, "aggregation": pl.String, "skill": pl.String}
)


def rebuild(
    engine: Engine, scope: dict[str, Any] | None = None, part: Part | None = None
) -> dict[str, object]:
    """Recompute ``scope`` (see ``resolve``); the summary becomes the Job's result."""
    if part not in (None, "metrics", "departments"):
        raise ValueError(f"unknown part {part!r}; expected 'metrics', 'departments' or none (both)")
    selection = resolve(engine, scope)
    summary: dict[str, object] = {}
    with job_statements(), engine.begin() as connection:  # a job also when called directly (bench, CLI)
        hold_write_lock(connection)  # reads and writes one state: not the values of before a rival's rebuild
        metrics = load_metrics(connection)
        staff = read_employees(connection)  # drivers and growth needs both; before any write
        if part in (None, "metrics"):
            summary |= _rebuild_pairs(connection, selection, metrics, staff)
        if part in (None, "departments"):
            summary |= rebuild_department_details(connection, selection, metrics, staff)
            summary |= rebuild_programme(connection, recompute_periods(connection, selection))
    return summary | {"scope": scope or "all"}


def _rebuild_pairs(
    connection: Connection, selection: RebuildScope, metrics: pl.DataFrame, staff: pl.DataFrame
) -> dict[str, object]:
    periods = selection.periods
    rebuilt = selection.metric_ids
    lock_metrics(connection, metrics.get_column("metric_id").to_list() if rebuilt is None else rebuilt)
    # everything read first: once a write is queued, the writer thread owns the connection
    observations = load_observations(connection, selection)  # read once: values, drivers, performers
    inputs = read_gap_inputs(connection, selection)
    with tables.Writer(connection) as writer:
        month_rows = (
            observations
            if periods.values is None
            else observations.filter(pl.col("period").is_in(periods.values))
        )
        values = department_values(month_rows, metrics)
        writer.submit(replace_values, connection, selection, values)
        gap_count = rebuild_gaps(writer, selection, metrics, values, inputs)
        details = rebuild_pair_details(writer, selection, metrics, observations, staff)
    # the writes are done: the connection is ours again; imported data may move plans (news)
    plans = rebuild_plan_results(connection, rebuilt, report_moves=True)
    official = values.filter(pl.col("source") == ValueSource.OFFICIAL.value).height
    return {
        "partitions": values.height,
        "official": official,
        "derived": values.height - official,
        "gaps": gap_count,
        **details,
        **plans,
    }


def rebuild_plans(engine: Engine, plan_ids: list[int]) -> dict[str, object]:
    """Rebuild the results of every plan on the metrics of ``plan_ids`` (the ``plan_progress``
    job, after a plan was made, changed or cancelled: it moves its own numbers and the
    comparison groups of the other plans on its metric). Locks as a recompute of those metrics."""
    if not isinstance(plan_ids, list) or not all(type(plan_id) is int for plan_id in plan_ids):
        raise InvalidArgument("must be a list of plan ids (integers)", field="plan_ids")
    with job_statements(), engine.begin() as connection:
        hold_write_lock(connection)
        statement = (
            select(col(ImprovementPlan.metric_id)).where(col(ImprovementPlan.id).in_(plan_ids)).distinct()
        )
        metric_ids = sorted(connection.scalars(statement))
        lock_metrics(connection, metric_ids)
        summary = rebuild_plan_results(connection, metric_ids)
        summary |= rebuild_programme(connection, plan_months(connection, metric_ids))  # plans on track
    return summary | {"plan_ids": plan_ids}


def rebuild_programme_metrics(engine: Engine, periods: list[str] | None) -> dict[str, object]:
    """Rebuild the programme metrics of the periods ``periods`` (months) lie in; None: all (the
    ``programme_metrics`` job, after a contribution, an attendance or a rating)."""
    if periods is not None and (
        not isinstance(periods, list) or not all(isinstance(period, str) for period in periods)
    ):
        raise InvalidArgument("must be a list of months (YYYY-MM) or none", field="periods")
    with job_statements(), engine.begin() as connection:
        hold_write_lock(connection)
        summary = rebuild_programme(connection, periods)
    return summary | {"periods": periods or "all"}


def lock_metrics(connection: Connection, metric_ids: Sequence[int]) -> None:
    """Wait for the metrics' other rebuilds to end, and keep new ones out until this one does.

    PostgreSQL, one transaction-scoped advisory lock per metric, taken in id order (no
    deadlock between two rebuilds): ``tables.sync`` compares the stored rows with the computed
    ones and writes the difference, which is right only if nobody rewrites them in between.
    On SQLite the whole rebuild holds the file's write lock (``hold_write_lock``).
    """
    if connection.dialect.name != "postgresql":
        return
    for metric_id in sorted(set(metric_ids)):
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:space, :metric)"), {"space": LOCK_SPACE, "metric": metric_id}
        )


def load_metrics(connection: Connection) -> pl.DataFrame:
    statement = select(col(Metric.id), col(Metric.direction), col(Metric.aggregation), col(Metric.skill))
    return pl.read_database(statement, connection, schema_overrides=dict(METRICS_SCHEMA)).rename(
        {"id": "metric_id"}
    )


def load_observations(connection: Connection, selection: RebuildScope) -> pl.DataFrame:
    """The scope's observations of the months its results read, through the fast path."""
    columns = [col(getattr(Observation, name)) for name in OBSERVATIONS_SCHEMA.names()]
    statement = select(*columns).where(selection.pairs(Observation, selection.periods.observed))
    return tables.read(connection, statement, OBSERVATIONS_SCHEMA)


def replace_values(connection: Connection, selection: RebuildScope, values: pl.DataFrame) -> None:
    tables.clear(connection, DepartmentValue, selection.pairs(DepartmentValue, selection.periods.values))
    insert_values(connection, values)


def insert_values(connection: Connection, values: pl.DataFrame) -> None:
    tables.insert(connection, DepartmentValue, values)
