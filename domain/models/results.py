"""Computed results: what the workers derive from the raw tables.

Result tables carry no foreign keys. Each is a cache rebuilt from the source tables in the
transaction that reads them, so its ids are exactly those of source rows whose own keys the
database enforces; checking them again for every written row took PostgreSQL most of the time
of a bulk write of the largest of them (``bench/RESULTS.md``). Nothing deletes the
source rows they point to (erasure keeps the employee row); code that ever does must delete
the results that name them too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from domain.models.base import one_of, utcnow
from domain.vocabulary import ValueSource  # noqa: F401  (stored here, re-exported)


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
    metric_id: int
    department_id: int
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
    metric_id: int
    department_id: int
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
    months_covered: int = 1  # months of the period with a value (a quarter: 1–3)
    complete: bool = True  # every month of the period has a value
    computed_at: datetime = Field(default_factory=utcnow)


class GapDriver(SQLModel, table=True):
    """A segment's share of a gap's bad mass (``workers.analytics.drivers`` defines it).

    Keyed by its natural key, without a surrogate id: a recompute writes hundreds of thousands
    of these, and a second index (and on SQLite a second b-tree) costs a fifth of the writing.
    """

    __table_args__ = (
        CheckConstraint("dimension IN ('tenure', 'team', 'employee')", name="dimension"),
        {"sqlite_with_rowid": False},
    )

    metric_id: int = Field(primary_key=True)
    department_id: int = Field(primary_key=True)
    period: str = Field(primary_key=True)
    dimension: str = Field(primary_key=True)
    segment: str = Field(primary_key=True)
    share: float
    people: int  # employees in the segment: small segments are hidden from non-admins
    # employees of the partition: a segment's share of the people is people / headcount
    headcount: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class FeedbackTheme(SQLModel, table=True):
    """How often a theme comes up in a department's feedback on a metric (or on none) in a period."""

    __table_args__ = (Index("ix_feedbacktheme_department_period", "department_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    metric_id: int | None = None
    department_id: int
    period: str
    theme: str
    count: int


class GrowthNeed(SQLModel, table=True):
    """Share of a department wanting to grow a skill as of a period's end, with the related metric."""

    __table_args__ = (
        Index("uq_growthneed_department_period_skill", "department_id", "period", "skill", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    department_id: int
    period: str
    skill: str
    share: float
    wishers: int
    headcount: int
    metric_id: int | None = None
    metric_average: float | None = None


class TopPerformer(SQLModel, table=True):
    """The top 10% (at least one) of a department's employees on a metric in a period.

    Keyed by its natural key (the partition and the rank), without a surrogate id: the most
    numerous result rows (1.3M at 10M observations); see ``GapDriver``.
    """

    __table_args__ = ({"sqlite_with_rowid": False},)

    metric_id: int = Field(primary_key=True)
    department_id: int = Field(primary_key=True)
    period: str = Field(primary_key=True)
    rank: int = Field(primary_key=True)
    employee_id: int
    value: float
