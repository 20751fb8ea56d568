"""KPIs: metric definitions, targets and observed values."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

from domain.models.base import one_of, period_check
from domain.vocabulary import Aggregation, Direction  # noqa: F401  (stored here, re-exported)


class Metric(SQLModel, table=True):
    __table_args__ = (one_of("direction", Direction), one_of("aggregation", Aggregation))

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, min_length=1)
    name: str
    unit: str = ""
    direction: str = Direction.HIGHER_IS_BETTER.value
    aggregation: str = Aggregation.MEAN.value
    skill: str | None = None  # the skill that moves this metric; links growth wishes to it
    # the plausible range of its values (``domain.importing.ranges``): None = unbounded, except
    # that a percent metric's default is 0 to 1
    min_value: float | None = None
    max_value: float | None = None


class Target(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    metric_id: int = Field(foreign_key="metric.id", ondelete="CASCADE")
    department_id: int = Field(foreign_key="department.id", index=True, ondelete="CASCADE")
    period: str  # YYYY-MM or YYYY-Qn
    target: float

    __table_args__ = (
        period_check(),
        Index("uq_target_metric_department_period", "metric_id", "department_id", "period", unique=True),
    )


class Observation(SQLModel, table=True):
    """A monthly value: the department's own (``employee_id`` NULL) or one employee's.

    Two partial unique indexes give each kind its natural key, because a plain unique
    constraint would let any number of department-level rows (NULL employee) coexist.
    """

    __table_args__ = (
        CheckConstraint("period LIKE '____-__' AND substr(period, 6, 1) IN ('0', '1')", name="monthly"),
        CheckConstraint("denominator IS NULL OR denominator > 0", name="denominator_positive"),
        Index(
            "uq_observation_department_level",
            "metric_id",
            "period",
            "department_id",
            unique=True,
            sqlite_where=text("employee_id IS NULL"),
            postgresql_where=text("employee_id IS NULL"),
        ),
        Index(
            "uq_observation_employee_level",
            "metric_id",
            "period",
            "employee_id",
            unique=True,
            sqlite_where=text("employee_id IS NOT NULL"),
            postgresql_where=text("employee_id IS NOT NULL"),
        ),
        Index("ix_observation_department_period", "department_id", "period"),
        # months alone: an import's recompute reads a few months of every metric, and the API
        # lists the periods that have data — without it, both scan every observation
        Index("ix_observation_period", "period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    metric_id: int = Field(foreign_key="metric.id", ondelete="CASCADE")
    period: str
    department_id: int = Field(foreign_key="department.id", ondelete="CASCADE")
    employee_id: int | None = Field(default=None, foreign_key="employee.id", index=True, ondelete="CASCADE")
    value: float
    numerator: float | None = None
    denominator: float | None = None
