"""After the salon: what it decided (outcome, attendees, practices) and the improvement plans
that follow it up, with the progress the workers compute for them.

People write ``SalonOutcome``, ``SalonAttendee``, ``ImprovementPlan``, ``PlanMember``; the
``recompute`` pipeline writes ``PlanProgress`` and ``PlanEffect`` (result tables: rebuilt,
never edited) and moves a plan's status between ACTIVE, ACHIEVED and MISSED. CANCELLED is a
person's decision and no rebuild undoes it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from domain.models.base import one_of, period_check, utcnow


class PlanStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ACHIEVED = "ACHIEVED"
    MISSED = "MISSED"
    CANCELLED = "CANCELLED"


class MilestoneEvery(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


class SalonOutcome(SQLModel, table=True):
    """What a held salon concluded; one per salon, replaced when it is recorded again."""

    salon_id: int = Field(foreign_key="salon.id", primary_key=True, ondelete="CASCADE")
    conclusions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    adopted_practices: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    notes: str | None = None
    recorded_by: str = Field(max_length=200)  # the token's subject: who said so (audited too)
    recorded_at: datetime = Field(default_factory=utcnow)


class SalonAttendee(SQLModel, table=True):
    """Someone who attended a held salon (invited people are in its content; these came)."""

    __table_args__ = (Index("ix_salonattendee_employee_salon", "employee_id", "salon_id"),)

    salon_id: int = Field(foreign_key="salon.id", primary_key=True, ondelete="CASCADE")
    employee_id: int = Field(foreign_key="employee.id", primary_key=True, ondelete="CASCADE")


class Practice(SQLModel, table=True):
    """An adopted practice of a salon's outcome: the library later salons cite. Rewritten with
    the outcome; its metric is the salon's topic metric, its effect that of the plan that
    follows the salon on that metric (looked up when read)."""

    __table_args__ = (Index("uq_practice_salon_position", "salon_id", "position", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    salon_id: int = Field(foreign_key="salon.id", ondelete="CASCADE")
    position: int  # its place in the outcome's list
    department_id: int = Field(foreign_key="department.id", index=True, ondelete="CASCADE")
    metric_id: int | None = Field(default=None, foreign_key="metric.id", index=True, ondelete="SET NULL")
    text: str


class ImprovementPlan(SQLModel, table=True):
    """A goal on one metric of one department, with a deadline, an owner and members.

    ``baseline`` is the department's value in ``baseline_period`` (the last month with data
    before the salon's month, or before the plan's creation without a salon), fixed at
    creation so that progress is measured against what people saw when they committed;
    ``goal_value = baseline × (1 + goal_change)``. ``deadline`` is a month or a quarter (its last
    month is the deadline month).
    """

    __table_args__ = (
        one_of("status", PlanStatus),
        one_of("milestone_every", MilestoneEvery),
        period_check("baseline_period"),
        period_check("deadline"),
        Index("ix_improvementplan_department_metric", "department_id", "metric_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    salon_id: int | None = Field(default=None, foreign_key="salon.id", index=True, ondelete="SET NULL")
    department_id: int = Field(foreign_key="department.id", ondelete="CASCADE")
    metric_id: int = Field(foreign_key="metric.id", index=True, ondelete="CASCADE")
    owner_id: int = Field(foreign_key="employee.id", index=True, ondelete="RESTRICT")
    baseline: float
    baseline_period: str  # YYYY-MM
    goal_change: float
    goal_value: float
    deadline: str  # YYYY-MM or YYYY-Qn
    milestone_every: str = MilestoneEvery.MONTH.value
    status: str = Field(default=PlanStatus.ACTIVE.value, index=True)
    status_period: str | None = None  # the month that decided ACHIEVED or MISSED
    cancel_reason: str | None = None
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PlanMember(SQLModel, table=True):
    __table_args__ = (Index("ix_planmember_employee_plan", "employee_id", "plan_id"),)

    plan_id: int = Field(foreign_key="improvementplan.id", primary_key=True, ondelete="CASCADE")
    employee_id: int = Field(foreign_key="employee.id", primary_key=True, ondelete="CASCADE")


class PlanProgress(SQLModel, table=True):
    """A plan's standing in one month with data after its baseline (a result table: see
    ``workers.analytics.progress`` for every field)."""

    __table_args__ = (
        CheckConstraint("period LIKE '____-__' AND substr(period, 6, 1) IN ('0', '1')", name="monthly"),
        Index("uq_planprogress_plan_period", "plan_id", "period", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(index=False)
    period: str
    actual: float
    change_from_baseline: float
    remaining_to_goal: float
    milestone: float | None = None  # the milestone value due that month (None before the first)
    on_track: bool
    computed_at: datetime = Field(default_factory=utcnow)


class PlanEffect(SQLModel, table=True):
    """Before/after on a plan's metric and its difference-in-differences against the departments
    that have the metric and no plan on it over the same months (a result table)."""

    plan_id: int = Field(primary_key=True)
    baseline: float
    current: float
    current_period: str
    change: float
    comparison_change: float | None = None
    difference_in_differences: float | None = None
    comparison_department_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    computed_at: datetime = Field(default_factory=utcnow)
