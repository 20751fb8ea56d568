"""What is known about people beyond KPIs: appraisals, feedback, growth records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from domain.models.base import one_of, period_check
from domain.vocabulary import GrowthKind  # noqa: F401  (stored here, re-exported)


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
    """One entry of an employee's growth archive; ``skill`` is '' when it names none."""

    __table_args__ = (
        one_of("kind", GrowthKind),
        Index(
            "uq_growthrecord_employee_date_kind_skill", "employee_id", "date", "kind", "skill", unique=True
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id", ondelete="CASCADE")
    date: dt.date
    kind: str
    skill: str = ""
    score: float | None = None
    note: str | None = None
