"""Rebuilding the improvement plans' results of some metrics: progress, effect and status.

A plan's effect compares its department with every other department on the metric, and any
plan on the metric changes who those are; so the unit rebuilt is a metric's plans, all of them,
from all its department values. Plans are few (a handful per department), which makes this
cheap, and it makes a recompute of a few months leave what a full one leaves by construction.

Called inside the transaction of the work that changed the inputs — the recompute's, after it
wrote the department values (it reads them on that transaction's connection, so it sees them),
or the ``plan_progress`` job's — by a caller holding the metrics' locks (``workers.rebuild``):
the ``PlanProgress`` and ``PlanEffect`` rows of those plans are deleted and inserted again, and
the statuses the numbers decide are set, a CANCELLED plan's never.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, bindparam, select, update
from sqlmodel import Session, col

from domain.errors import InvalidArgument
from domain.jobs import REPORT_PROGRESS, create_job
from domain.models import (
    DepartmentValue,
    ImprovementPlan,
    Metric,
    PlanEffect,
    PlanProgress,
    PlanStatus,
    Salon,
)
from domain.periods import Period
from domain.plans.milestones import deadline_month, milestones, plan_start
from workers import tables
from workers.analytics import plan_moves
from workers.analytics.progress import (
    MILESTONES_SCHEMA,
    PLANS_SCHEMA,
    VALUES_SCHEMA,
    plan_effects,
    plan_statuses,
    progress,
)


def rebuild_plan_results(
    connection: Connection, metric_ids: list[int] | None, *, report_moves: bool = False
) -> dict[str, int]:
    """Rebuild every plan on ``metric_ids`` (None: on every metric); returns the counts. With
    ``report_moves`` (new data was imported), the plans it moved get a ``report_progress`` job,
    committed with the results."""
    rows = read_plans(connection, metric_ids)
    if not rows:
        return {"plans": 0, "progress_points": 0, "plan_effects": 0}
    plans, due = plan_frames(rows)
    values = read_values(connection, sorted({row.metric_id for row in rows}))
    points = progress(plans, due, values)
    moved = _moved(connection, rows, points) if report_moves else []
    effects = plan_effects(plans, values)
    statuses = plan_statuses(plans, points)
    rebuilt = col(PlanProgress.plan_id).in_([row.plan_id for row in rows])
    tables.replace(connection, PlanProgress, rebuilt, points)
    tables.replace(
        connection,
        PlanEffect,
        col(PlanEffect.plan_id).in_([row.plan_id for row in rows]),
        _as_stored(effects),
    )
    set_statuses(connection, rows, statuses)
    if moved:
        with Session(bind=connection) as session:  # in the rebuild's transaction: both or neither
            create_job(session, REPORT_PROGRESS, {"plan_ids": moved})
    counts = {"plans": len(rows), "progress_points": points.height, "plan_effects": effects.height}
    return counts | ({"plans_moved": len(moved)} if report_moves else {})


def _moved(connection: Connection, rows: list, points: pl.DataFrame) -> list[int]:
    """The plans (not cancelled) whose latest standing ``points`` changes, before it is written."""
    ids = [row.plan_id for row in rows if row.status != PlanStatus.CANCELLED.value]
    stored = select(col(PlanProgress.plan_id), col(PlanProgress.period), col(PlanProgress.actual)).where(
        col(PlanProgress.plan_id).in_(ids)
    )
    before = pl.read_database(stored, connection, schema_overrides=dict(plan_moves.LATEST_SCHEMA))
    after = points.filter(pl.col("plan_id").is_in(ids))
    return plan_moves.moved(plan_moves.latest(before), plan_moves.latest(after))


def read_plans(connection: Connection, metric_ids: list[int] | None) -> list:
    """The plans on ``metric_ids``, CANCELLED too (they keep departments out of comparisons),
    with their metric's direction and their salon's month."""
    statement = (
        select(
            col(ImprovementPlan.id).label("plan_id"),
            col(ImprovementPlan.metric_id),
            col(ImprovementPlan.department_id),
            col(Metric.direction),
            col(ImprovementPlan.baseline),
            col(ImprovementPlan.baseline_period),
            col(ImprovementPlan.goal_change),
            col(ImprovementPlan.goal_value),
            col(ImprovementPlan.deadline),
            col(ImprovementPlan.milestone_every),
            col(ImprovementPlan.status),
            col(ImprovementPlan.status_period),
            col(ImprovementPlan.created_at),
            col(Salon.month).label("salon_month"),
        )
        .join(Metric, col(Metric.id) == col(ImprovementPlan.metric_id))
        .outerjoin(Salon, col(Salon.id) == col(ImprovementPlan.salon_id))
        .order_by(col(ImprovementPlan.id))
    )
    if metric_ids is not None:
        statement = statement.where(col(ImprovementPlan.metric_id).in_(metric_ids))
    return list(connection.execute(statement))


def plan_frames(rows: list) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The plans and their milestones as ``workers.analytics.progress`` takes them.

    A stored plan whose deadline falls before its first month (the API refuses to make one)
    is measured against its baseline only, rather than failing the recompute of its metric."""
    plans, due = [], []
    for row in rows:
        start, end = plan_start(row, row.salon_month), deadline_month(Period.parse(row.deadline))
        plans.append(
            (
                row.plan_id,
                row.metric_id,
                row.department_id,
                row.direction,
                row.baseline,
                row.baseline_period,
                row.goal_change,
                row.goal_value,
                str(start),
                str(end),
                row.status,
            )
        )
        try:
            steps = milestones(
                row.baseline, row.goal_value, start, Period.parse(row.deadline), row.milestone_every
            )
        except InvalidArgument:
            steps = []
        due += [(row.plan_id, str(step.due), step.target_value) for step in steps]
    return (
        pl.DataFrame(plans, schema=PLANS_SCHEMA, orient="row"),
        pl.DataFrame(due, schema=MILESTONES_SCHEMA, orient="row"),
    )


def read_values(connection: Connection, metric_ids: list[int]) -> pl.DataFrame:
    """Every department's monthly values of the metrics, on the caller's connection: a recompute
    reads the values it has just written (the fast path's reader is a connection of its own,
    which sees only committed rows)."""
    statement = select(*(col(getattr(DepartmentValue, name)) for name in VALUES_SCHEMA.names())).where(
        col(DepartmentValue.metric_id).in_(metric_ids)
    )
    return pl.read_database(statement, connection, schema_overrides=dict(VALUES_SCHEMA))


def _as_stored(effects: pl.DataFrame) -> pl.DataFrame:
    """The comparison departments as the JSON list the table stores."""
    ids = pl.col("comparison_department_ids").cast(pl.List(pl.String)).list.join(", ")
    return effects.with_columns(comparison_department_ids=pl.concat_str(pl.lit("["), ids, pl.lit("]")))


def set_statuses(connection: Connection, rows: list, statuses: pl.DataFrame) -> None:
    """Write the statuses that changed; a plan cancelled meanwhile stays CANCELLED (the condition
    is checked again by the UPDATE, after any concurrent cancel committed)."""
    stored = {row.plan_id: (row.status, row.status_period) for row in rows}
    changed = [
        {"plan": plan_id, "new_status": status, "new_period": period}
        for plan_id, status, period in statuses.iter_rows()
        if stored[plan_id] != (status, period)
    ]
    if not changed:
        return
    table = ImprovementPlan.__table__
    connection.execute(
        update(table)
        .where(table.c.id == bindparam("plan"), table.c.status != PlanStatus.CANCELLED.value)
        .values(status=bindparam("new_status"), status_period=bindparam("new_period")),
        changed,
    )
