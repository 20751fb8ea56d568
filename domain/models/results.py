"""Computed results: what the workers derive from the raw tables."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from domain.models.base import one_of, utcnow


class ValueSource(StrEnum):
    OFFICIAL = "official"  # the department-level observation, as reported
    DERIVED = "derived"  # rolled up from employee rows by the metric's aggregation


class DepartmentValue(SQLModel, table=True):
    """A department's monthly KPI value ("actual"), the base every gap computation starts from.

    A results table, not a source of truth: the ``recompute`` actor rebuilds a scope of it
    idempotently from ``observation`` (delete the scope, insert it again, in one transaction),
    so any row can be thrown away and recomputed. GraphQL only reads it; nothing else writes.
    """

    __table_args__ = (
        CheckConstraint("period LIKE '____-__' AND substr(period, 6, 1) IN ('0', '1')", name="monthly"),
        one_of("source", ValueSource),
        Index(
            "uq_departmentvalue_metric_department_period",
            "metric_id",
            "department_id",
            "period",
            unique=True,
        ),
        Index("ix_departmentvalue_department_period", "department_id", "period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    metric_id: int = Field(foreign_key="metric.id", ondelete="CASCADE")
    department_id: int = Field(foreign_key="department.id", ondelete="CASCADE")
    period: str  # YYYY-MM
    value: float
    numerator: float | None = None
    denominator: float | None = None
    source: str
    contributors: int  # employee rows behind the value (for an official one: those that exist)
    computed_at: datetime = Field(default_factory=utcnow)


class Gap(SQLModel, table=True):
    """Where a department stands on a metric in a period (month or quarter): see
    ``workers.analytics.gaps`` for every field and the severity score.

    Rebuilt per metric × department by ``recompute`` (all periods of the pair at once, since a
    month's value is also the next month's ``previous`` and part of its quarter)."""

    __table_args__ = (
        CheckConstraint("period LIKE '____-__'", name="period"),
        Index("uq_gap_metric_department_period", "metric_id", "department_id", "period", unique=True),
        Index("ix_gap_department_period", "department_id", "period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    metric_id: int = Field(foreign_key="metric.id", ondelete="CASCADE")
    department_id: int = Field(foreign_key="department.id", ondelete="CASCADE")
    period: str  # YYYY-MM or YYYY-Qn
    actual: float
    previous: float | None = None
    target: float | None = None
    change: float | None = None
    attainment: float | None = None
    below_target: bool
    worsening: bool
    severity: float
    contributors: int
    computed_at: datetime = Field(default_factory=utcnow)
