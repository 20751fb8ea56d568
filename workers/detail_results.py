"""Rebuilding what explains a gap and who can help: drivers, feedback themes, growth needs and
top performers, for some metrics and departments, inside the recompute's transaction.

Drivers and top performers belong to metric × department pairs (like gaps); feedback themes and
growth needs to departments, so a department in scope has them rebuilt whole.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import ColumnElement, Connection, delete, insert, select
from sqlmodel import col

from domain.models import (
    DepartmentValue,
    Employee,
    Feedback,
    FeedbackTheme,
    GapDriver,
    GrowthNeed,
    GrowthRecord,
    Metric,
    Observation,
    TopPerformer,
)
from workers.analytics.drivers import drivers
from workers.analytics.gaps import with_quarters
from workers.analytics.growth import growth_needs
from workers.analytics.performers import top_performers
from workers.analytics.themes import feedback_themes
from workers.scoping import within

BATCH = 10_000


def _replace(connection: Connection, model, condition: ColumnElement[bool], frame: pl.DataFrame) -> int:
    connection.execute(delete(model).where(condition))
    for batch in frame.iter_slices(BATCH):
        connection.execute(insert(model.__table__), batch.to_dicts())
    return frame.height


def _read(connection: Connection, statement, **schema) -> pl.DataFrame:
    return pl.read_database(statement, connection, schema_overrides=schema or None)


def rebuild_details(
    connection: Connection, metric_ids: list[int] | None, department_ids: list[int] | None
) -> dict[str, int]:
    metrics = _read(
        connection, select(col(Metric.id).label("metric_id"), col(Metric.direction), col(Metric.aggregation), col(Metric.skill)),
        skill=pl.String,
    )  # fmt: skip
    employees = _read(
        connection,
        select(
            col(Employee.id).label("employee_id"), col(Employee.employee_id).label("code"), col(Employee.department_id),
            col(Employee.hire_date), col(Employee.team),
        ),
        team=pl.String,
    )  # fmt: skip
    observations = _read(
        connection,
        select(
            col(Observation.metric_id), col(Observation.department_id), col(Observation.employee_id),
            col(Observation.period), col(Observation.value), col(Observation.numerator), col(Observation.denominator),
        ).where(col(Observation.employee_id).is_not(None), within(Observation, metric_ids=metric_ids, department_ids=department_ids)),
        numerator=pl.Float64, denominator=pl.Float64, value=pl.Float64,
    )  # fmt: skip
    codes = employees.select(pl.col("employee_id").cast(pl.String).alias("segment"), pl.col("code"))
    found = drivers(observations, employees, metrics).join(codes, on="segment", how="left")
    found = found.with_columns(  # an employee segment is shown by the employee's own id
        pl.when(pl.col("dimension") == "employee")
        .then(pl.col("code"))
        .otherwise(pl.col("segment"))
        .alias("segment")
    ).drop("code")
    counts = {
        "drivers": _replace(
            connection,
            GapDriver,
            within(GapDriver, metric_ids=metric_ids, department_ids=department_ids),
            found,
        ),
        "top_performers": _replace(
            connection,
            TopPerformer,
            within(TopPerformer, metric_ids=metric_ids, department_ids=department_ids),
            top_performers(observations, metrics),
        ),
    }
    feedback = _read(
        connection,
        select(col(Feedback.department_id), col(Feedback.metric_id), col(Feedback.period), col(Feedback.themes)).where(
            within(Feedback, department_ids=department_ids)
        ),
        metric_id=pl.Int64, themes=pl.List(pl.String),
    )  # fmt: skip
    themes = feedback_themes(feedback)
    counts["feedback_themes"] = _replace(
        connection, FeedbackTheme, within(FeedbackTheme, department_ids=department_ids), themes
    )
    values = _read(
        connection,
        select(
            col(DepartmentValue.metric_id), col(DepartmentValue.department_id), col(DepartmentValue.period),
            col(DepartmentValue.value), col(DepartmentValue.numerator), col(DepartmentValue.denominator),
            col(DepartmentValue.contributors),
        ).where(within(DepartmentValue, department_ids=department_ids)),
        numerator=pl.Float64, denominator=pl.Float64,
    )  # fmt: skip
    all_values = with_quarters(values, metrics)
    growth = _read(
        connection,
        select(
            col(GrowthRecord.employee_id),
            col(GrowthRecord.date),
            col(GrowthRecord.kind),
            col(GrowthRecord.skill),
        ),
    )
    periods = sorted(all_values.get_column("period").unique().to_list())
    needs = growth_needs(growth, employees, metrics, all_values, periods)
    if department_ids is not None:  # headcounts need every employee; results only the scope's departments
        needs = needs.filter(pl.col("department_id").is_in(department_ids))
    counts["growth_needs"] = _replace(
        connection, GrowthNeed, within(GrowthNeed, department_ids=department_ids), needs
    )
    return counts
