"""The programme's own numbers: salon ratings people give, and the programme metrics the
workers compute from them and from gaps, growth records, salons and plans.

``SalonRating`` is personal data — who gave which score is never shown, only aggregates — and
``ProgrammeMetrics`` is a result table (rebuilt per period, never edited).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from domain.models.base import utcnow


class SalonRating(SQLModel, table=True):
    """An attendee's score of a held salon, 1 to 5; one per person and salon, which they may
    change (``rated_at`` is the latest)."""

    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score_one_to_five"),
        Index("ix_salonrating_employee_salon", "employee_id", "salon_id"),
    )

    salon_id: int = Field(foreign_key="salon.id", primary_key=True, ondelete="CASCADE")
    employee_id: int = Field(foreign_key="employee.id", primary_key=True, ondelete="CASCADE")
    score: int
    comment: str | None = None  # free text: erased with the person's other texts
    rated_at: datetime = Field(default_factory=utcnow)


class ProgrammeMetrics(SQLModel, table=True):
    """The programme's standing in one period — a month, quarter, half-year or year (see
    ``workers.analytics.programme`` for every figure); the counts behind each rate are kept so
    a reader can tell 0 of 0 from 0 of 40."""

    __table_args__ = (CheckConstraint("length(period) IN (4, 7)", name="period"),)

    period: str = Field(primary_key=True, max_length=7)
    attainment_rate: float | None = None
    attainment_results: int = 0  # gap results with a target in the period
    growth_archive_update_rate: float = 0.0
    active_employees: int = 0
    updated_employees: int = 0
    satisfaction: float | None = None
    ratings: int = 0
    salons_held: int = 0
    participation_rate: float | None = None
    attendees: int = 0
    invited: int = 0
    plans_on_track: float | None = None
    plans_measured: int = 0
    computed_at: datetime = Field(default_factory=utcnow)
