"""What is known about people beyond KPIs: appraisals, feedback, growth records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Column, Index, text
from sqlmodel import Field, SQLModel

from domain.models.base import one_of, period_check
from domain.vocabulary import ContributionKind, GrowthKind  # noqa: F401  (stored here, re-exported)


class Review(SQLModel, table=True):
    """An appraisal score in a cycle (e.g. ``2026-H1``); natural key employee × cycle."""

    __table_args__ = (
        CheckConstraint("score >= 0", name="score_not_negative"),
        Index("uq_review_employee_cycle", "employee_id", "cycle", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id", ondelete="CASCADE")
    cycle: str = Field(min_length=1)
    score: float


class Feedback(SQLModel, table=True):
    """Free text from an employee, or anonymous (``employee_id`` NULL), with theme tags.

    ``department_id`` is stored even when the author is known, so anonymous and named
    feedback are scoped alike. ``fingerprint`` (a hash of the normalised row) is the natural
    key: free text has no other, and re-importing the same export must change nothing.
    """

    __table_args__ = (period_check(),)

    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(unique=True)
    employee_id: int | None = Field(default=None, foreign_key="employee.id", index=True, ondelete="SET NULL")
    department_id: int = Field(foreign_key="department.id", index=True, ondelete="CASCADE")
    period: str
    metric_id: int | None = Field(default=None, foreign_key="metric.id", index=True, ondelete="SET NULL")
    text: str
    themes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class GrowthRecord(SQLModel, table=True):
    """One entry of an employee's growth archive; ``skill`` is '' when it names none.

    A salon contribution recorded here (``contribution`` set) is ``salon_contribution`` dated at
    its salon, keyed by person × salon × contribution; ``points`` are the policy's when it was
    recorded (``domain.growth.points``), so a later policy change does not rewrite what people
    were told. Imported records (``contribution`` NULL) keep their natural key, person × date ×
    kind × skill: two partial unique indexes, so that neither kind of record collides with the
    other (an import's ``salon_contribution`` row next to a recorded one of the same day).
    """

    __table_args__ = (
        one_of("kind", GrowthKind),
        one_of("contribution", ContributionKind),
        CheckConstraint("points >= 0", name="points_not_negative"),
        CheckConstraint("contribution IS NULL OR kind = 'salon_contribution'", name="contribution_kind"),
        Index(
            "uq_growthrecord_employee_date_kind_skill",
            "employee_id",
            "date",
            "kind",
            "skill",
            unique=True,
            sqlite_where=text("contribution IS NULL"),
            postgresql_where=text("contribution IS NULL"),
        ),
        Index(
            "uq_growthrecord_employee_salon_contribution",
            "employee_id",
            "salon_id",
            "contribution",
            unique=True,
            sqlite_where=text("contribution IS NOT NULL"),
            postgresql_where=text("contribution IS NOT NULL"),
        ),
        Index("ix_growthrecord_salon_id", "salon_id"),
        Index("ix_growthrecord_date", "date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id", ondelete="CASCADE")
    date: dt.date
    kind: str
    skill: str = ""
    score: float | None = None
    note: str | None = None
    contribution: str | None = None  # a ContributionKind: recorded for a salon (not imported)
    salon_id: int | None = Field(default=None, foreign_key="salon.id", ondelete="SET NULL")
    points: float = 0.0
