"""Rebuilding the programme metrics of some periods, inside the transaction of the work that
changed them: the recompute's department part (gaps, growth records and plans moved), the
``plan_progress`` job, or the ``programme_metrics`` job (a contribution, an attendance or a
rating). Reads on the caller's connection, so a recompute's just-written gaps count.

The unit rebuilt is a period: a change to a month moves that month, its quarter, its half-year
and its year, and each of those is computed whole from every input that falls in it. ``None``
rebuilds every period some input falls in and drops the rest. Concurrent rebuilds take turns on
a lock of their own (PostgreSQL; on SQLite the caller holds the file's write lock), always taken
after any metric lock, so no two rebuilds wait on each other in a circle.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import polars as pl
from sqlalchemy import Connection, select, text, true
from sqlmodel import col

from domain.growth.salons import HELD, invited_count
from domain.models import (
    Employee,
    Gap,
    GrowthRecord,
    PlanProgress,
    PlanStatus,
    ProgrammeMetrics,
    Salon,
    SalonAttendee,
    SalonRating,
)
from domain.periods import Period
from domain.plans.milestones import deadline_month, plan_start
from domain.salons.content import StoredShapeError
from workers import tables
from workers.analytics.programme import (
    ATTENDANCE_SCHEMA,
    GAP_RESULTS_SCHEMA,
    PLANS_SCHEMA,
    PROGRESS_SCHEMA,
    RATINGS_SCHEMA,
    RECORDS_SCHEMA,
    SALONS_SCHEMA,
    STAFF_SCHEMA,
    ProgrammeInputs,
    months_to_periods,
    periods_with_data,
    programme_metrics,
)
from workers.plan_results import read_plans
from workers.scoping import RebuildScope

log = logging.getLogger(__name__)
PROGRAMME_LOCK = (0x50524F47, 0)  # "PROG": the programme metrics' advisory lock (PostgreSQL)
DECIDED = (PlanStatus.ACHIEVED.value, PlanStatus.MISSED.value)


def plan_months(connection: Connection, metric_ids: list[int] | None) -> list[str]:
    """The months of the plans on ``metric_ids`` (None: all), first to deadline: where their
    progress and status count."""
    months: set[str] = set()
    for row in read_plans(connection, metric_ids):
        month, end = plan_start(row, row.salon_month), deadline_month(Period.parse(row.deadline))
        while month <= end:
            months.add(str(month))
            month = month.next()
    return sorted(months)


def recompute_periods(connection: Connection, selection: RebuildScope) -> list[str] | None:
    """What a recompute of ``selection`` moves: its gaps' periods, and the months of the plans on
    its metrics (a status their numbers decide changes which plans a later month counts)."""
    if selection.periods.gaps is None:
        return None
    return sorted(set(selection.periods.gaps) | set(plan_months(connection, selection.metric_ids)))


def lock_programme(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        space, key = PROGRAMME_LOCK
        connection.execute(text("SELECT pg_advisory_xact_lock(:space, :key)"), {"space": space, "key": key})


def rebuild_programme(connection: Connection, periods: Iterable[str] | None) -> dict[str, int]:
    """Rebuild the periods ``periods`` lie in (months or quarters; None: every period)."""
    lock_programme(connection)
    asked = None if periods is None else [Period.parse(p) for p in periods]
    if asked is not None and not asked:
        return {"programme_periods": 0}
    inputs = read_inputs(connection, asked)
    if asked is None:
        computed = periods_with_data(inputs)
        condition = true()
    else:
        moved = months_to_periods([str(p) for p in asked])
        condition = col(ProgrammeMetrics.period).in_(moved)  # a period that lost its data loses its row
        # only periods with data, as a full rebuild has (the inputs span the asked periods' whole years)
        computed = sorted(set(moved) & set(periods_with_data(inputs)))
    written = tables.replace(connection, ProgrammeMetrics, condition, programme_metrics(computed, inputs))
    return {"programme_periods": written}


def _span(asked: list[Period] | None) -> tuple[str, str] | None:
    """The first and last month of the years ``asked`` lies in: a year is the widest period a
    change moves, and it is computed whole."""
    if asked is None:
        return None
    years = sorted({p.year for p in asked})
    return f"{years[0]}-01", f"{years[-1]}-12"


def _gap_periods(span: tuple[str, str] | None) -> list[str] | None:
    if span is None:
        return None
    first, last = (Period.parse(month) for month in span)
    months, month = [], first
    while month <= last:
        months.append(month)
        month = month.next()
    return sorted({str(m) for m in months} | {str(m.quarter_of()) for m in months})


def read_inputs(connection: Connection, asked: list[Period] | None) -> ProgrammeInputs:
    span = _span(asked)
    gap_periods = _gap_periods(span)
    gaps = select(col(Gap.period), col(Gap.target).is_not(None).label("has_target"), col(Gap.below_target))
    if gap_periods is not None:
        gaps = gaps.where(col(Gap.period).in_(gap_periods))
    records = select(col(GrowthRecord.employee_id), col(GrowthRecord.date))
    salons = select(col(Salon.id), col(Salon.month), col(Salon.status), col(Salon.content))
    if span is not None:
        first, last = (Period.parse(month) for month in span)
        records = records.where(col(GrowthRecord.date) >= first.start(), col(GrowthRecord.date) <= last.end())
        salons = salons.where(col(Salon.month) >= span[0], col(Salon.month) <= span[1])
    salon_rows = list(connection.execute(salons))
    salon_ids = [row.id for row in salon_rows]
    return ProgrammeInputs(
        gaps=_read(connection, gaps, GAP_RESULTS_SCHEMA),
        staff=_read(connection, select(col(Employee.id), col(Employee.hire_date)), STAFF_SCHEMA),
        records=_read(connection, records, RECORDS_SCHEMA),
        salons=pl.DataFrame(
            [(r.id, r.month, r.status in HELD, _invited(r)) for r in salon_rows],
            schema=SALONS_SCHEMA,
            orient="row",
        ),
        attendance=_read(
            connection,
            select(col(SalonAttendee.salon_id), col(SalonAttendee.employee_id)).where(
                col(SalonAttendee.salon_id).in_(salon_ids)
            ),
            ATTENDANCE_SCHEMA,
        ),
        ratings=_read(
            connection,
            select(col(SalonRating.salon_id), col(SalonRating.score)).where(
                col(SalonRating.salon_id).in_(salon_ids)
            ),
            RATINGS_SCHEMA,
        ),
        plans=_plans(connection),
        progress=_read(
            connection,
            select(col(PlanProgress.plan_id), col(PlanProgress.period), col(PlanProgress.on_track)),
            PROGRESS_SCHEMA,
        ),
    )


def _invited(salon) -> int:
    """Its invited people; a content this code cannot read counts none, rather than stopping
    every period's rebuild (the salon's own page reports the shape error)."""
    try:
        return invited_count(salon.content)
    except StoredShapeError as error:
        log.warning("salon %s: its invited people are not counted: %s", salon.id, error)
        return 0


def _read(connection: Connection, statement, schema: pl.Schema) -> pl.DataFrame:
    """Rows of ``schema``'s columns, in order, on the caller's connection (its own writes seen)."""
    rows = connection.execute(statement).all()
    return pl.DataFrame([tuple(row) for row in rows], schema=schema, orient="row")


def _plans(connection: Connection) -> pl.DataFrame:
    rows = [
        (
            row.plan_id,
            str(plan_start(row, row.salon_month)),
            str(deadline_month(Period.parse(row.deadline))),
            row.status_period if row.status in DECIDED else None,
            row.status == PlanStatus.CANCELLED.value,
        )
        for row in read_plans(connection, None)
    ]
    return pl.DataFrame(rows, schema=PLANS_SCHEMA, orient="row")
