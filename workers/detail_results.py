"""Rebuilding what explains a gap and who can help, inside the recompute's transaction.

Drivers and top performers belong to metric × department pairs (like gaps) and are computed
from the observations the recompute already read; feedback themes and growth needs belong to
departments (a department in scope has them rebuilt over the scope's periods, all metrics).
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, select
from sqlmodel import col

from domain.models import (
    DepartmentValue,
    Employee,
    Feedback,
    FeedbackTheme,
    GapDriver,
    GrowthNeed,
    GrowthRecord,
    TopPerformer,
)
from workers import tables
from workers.analytics.drivers import drivers_of
from workers.analytics.gaps import VALUES_SCHEMA, with_quarters
from workers.analytics.growth import growth_needs
from workers.analytics.individual import individual_periods
from workers.analytics.performers import performers_of
from workers.analytics.periods import slot_period
from workers.analytics.themes import feedback_themes
from workers.scoping import RebuildScope, within


def _read(connection: Connection, statement, **schema) -> pl.DataFrame:
    return pl.read_database(statement, connection, schema_overrides=schema or None)


def _in(frame: pl.DataFrame, periods: list[str] | None) -> pl.DataFrame:
    return frame if periods is None else frame.filter(pl.col("period").is_in(periods))


def _slots_in(frame: pl.DataFrame, periods: list[str]) -> pl.Series:
    """The slots of ``frame`` whose period is one of ``periods`` (spelt out once per slot)."""
    slots = frame.select(pl.col("slot").unique())
    return slots.filter(slot_period(pl.col("slot")).is_in(periods)).get_column("slot")


# hire dates are read as ISO text, what SQLite stores and what a PostgreSQL date casts to
EMPLOYEES_READ = pl.Schema(
    {
        "employee_id": pl.Int64,
        "code": pl.String,
        "department_id": pl.Int64,
        "hire_date": pl.String,
        "team": pl.String,
    }
)


def read_employees(connection: Connection) -> pl.DataFrame:
    """Employees as drivers and growth needs take them: hire date, team, department, code.

    Through the fast path (``tables.read``): a source table the recompute never writes."""
    statement = select(
        col(Employee.id).label("employee_id"), col(Employee.employee_id).label("code"), col(Employee.department_id),
        col(Employee.hire_date), col(Employee.team),
    )  # fmt: skip
    employees = tables.read(connection, statement, EMPLOYEES_READ)
    return employees.with_columns(pl.col("hire_date").str.to_date("%Y-%m-%d"))


def rebuild_pair_details(
    writer: tables.Writer,
    selection: RebuildScope,
    metrics: pl.DataFrame,
    observations: pl.DataFrame,
    employees: pl.DataFrame,
) -> dict[str, int]:
    """Drivers and top performers of the scope's pairs, from its observations (all the months
    of the rebuilt periods' quarters), both from one frame of individual figures; written by
    ``writer`` while the next is computed; only the rows that change (``tables.sync``)."""
    periods = selection.periods.details
    codes = employees.select(pl.col("employee_id").cast(pl.String).alias("segment"), pl.col("code"))
    individual = individual_periods(observations, metrics)
    if periods is not None:
        individual = individual.filter(pl.col("slot").is_in(_slots_in(individual, periods)))
    # the larger write first, so that computing the drivers overlaps it
    performers = writer.sync(TopPerformer, selection.pairs(TopPerformer, periods), performers_of(individual))
    found = drivers_of(individual, employees).join(codes, on="segment", how="left")
    found = found.with_columns(  # an employee segment is shown by the employee's own id
        pl.when(pl.col("dimension") == "employee")
        .then(pl.col("code"))
        .otherwise(pl.col("segment"))
        .alias("segment")
    ).drop("code")
    drivers = writer.sync(GapDriver, selection.pairs(GapDriver, periods), found)
    return {"drivers": drivers, "top_performers": performers}


def rebuild_department_details(
    connection: Connection, selection: RebuildScope, metrics: pl.DataFrame, employees: pl.DataFrame
) -> dict[str, int]:
    """Feedback themes and growth needs of the scope's departments over its periods."""
    periods, departments = selection.periods, selection.department_ids
    quarters = None if periods.details is None else [p for p in periods.details if "Q" in p]
    read = None if periods.observed is None else periods.observed + quarters  # months, and dated quarters
    feedback = _read(
        connection,
        select(col(Feedback.department_id), col(Feedback.metric_id), col(Feedback.period), col(Feedback.themes)).where(
            within(Feedback, department_ids=departments, periods=read)
        ),
        metric_id=pl.Int64, themes=pl.List(pl.String),
    )  # fmt: skip
    counts = {
        "feedback_themes": tables.replace(
            connection,
            FeedbackTheme,
            within(FeedbackTheme, department_ids=departments, periods=periods.details),
            _in(feedback_themes(feedback), periods.details),
        )
    }
    values = _read(
        connection,
        select(*(col(getattr(DepartmentValue, name)) for name in VALUES_SCHEMA.names())).where(
            within(DepartmentValue, department_ids=departments, periods=periods.observed)
        ),
        **dict(VALUES_SCHEMA),
    )
    all_values = _in(with_quarters(values, metrics), periods.details)
    growth = _read(
        connection,
        select(
            col(GrowthRecord.employee_id),
            col(GrowthRecord.date),
            col(GrowthRecord.kind),
            col(GrowthRecord.skill),
        ),
    )
    period_list = sorted(all_values.get_column("period").unique().to_list())
    needs = growth_needs(growth, employees, metrics, all_values, period_list)
    if departments is not None:  # headcounts need every employee; results only the scope's departments
        needs = needs.filter(pl.col("department_id").is_in(departments))
    counts["growth_needs"] = tables.replace(
        connection, GrowthNeed, within(GrowthNeed, department_ids=departments, periods=periods.details), needs
    )
    return counts
