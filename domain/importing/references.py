"""What an import file may refer to that is already in the database."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, Engine, select

from domain.models import Department, Employee, Metric


@dataclass(frozen=True)
class References:
    """Natural key → row id maps as frames, for vectorised joins.

    departments: code, department_id, parent_id · employees: employee_id, employee_ref,
    department_id · metrics: code, metric_id, aggregation, unit, min_value, max_value. ``fingerprint_key`` keys feedback
    fingerprints (``domain.fingerprints``): what the stored rows are keyed with.
    """

    departments: pl.DataFrame
    employees: pl.DataFrame
    metrics: pl.DataFrame
    fingerprint_key: bytes


def _frame(connection: Connection, statement, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    rows = connection.execute(statement).all()
    return pl.DataFrame(rows, schema=schema, orient="row")


def load_references(source: Engine | Connection, fingerprint_key: bytes) -> References:
    if isinstance(source, Engine):
        with source.connect() as connection:
            return load_references(connection, fingerprint_key)
    return References(
        fingerprint_key=fingerprint_key,
        departments=_frame(
            source,
            select(Department.code, Department.id, Department.parent_id),
            {"code": pl.String, "department_id": pl.Int64, "parent_id": pl.Int64},
        ),
        employees=_frame(
            source,
            select(Employee.employee_id, Employee.id, Employee.department_id),
            {"employee_id": pl.String, "employee_ref": pl.Int64, "department_id": pl.Int64},
        ),
        metrics=_frame(
            source,
            select(
                Metric.code, Metric.id, Metric.aggregation, Metric.unit, Metric.min_value, Metric.max_value
            ),
            {
                "code": pl.String,
                "metric_id": pl.Int64,
                "aggregation": pl.String,
                "unit": pl.String,
                "min_value": pl.Float64,
                "max_value": pl.Float64,
            },
        ),
    )
