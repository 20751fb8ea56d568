"""Salons: one per department and month, proposed by the planner and then run by people.

Planning owns a salon only while it is PROPOSED and unedited: re-planning rewrites it in place
(same id), and never touches a salon someone has edited, scheduled, held, closed or cancelled. The unique index
on (month, department) is what makes two planners unable to create a second one.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from domain.models.base import one_of, utcnow


class SalonStatus(StrEnum):
    PROPOSED = "PROPOSED"
    SCHEDULED = "SCHEDULED"
    HELD = "HELD"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


class Salon(SQLModel, table=True):
    """``topic`` and ``content`` are what the plugin produced, validated, kept as JSON in the
    shape of ``domain.salons.content`` (``StoredTopic``, ``SalonContent``): write and read them
    through those types, never as bare dicts."""

    __table_args__ = (
        one_of("status", SalonStatus),
        CheckConstraint("month LIKE '____-__'", name="month"),
        Index("uq_salon_month_department", "month", "department_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    month: str
    department_id: int = Field(foreign_key="department.id", ondelete="CASCADE")  # the one planned for
    status: str = Field(default=SalonStatus.PROPOSED.value, index=True)
    format_key: str
    fit: float
    data_period: str  # what it was planned from
    host_department_id: int | None = Field(default=None, foreign_key="department.id", ondelete="SET NULL")
    topic: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    scheduled_at: datetime | None = None  # UTC
    # the UTC offset, in minutes, of the time people scheduled it in: it is answered in that time
    scheduled_offset_minutes: int | None = None
    cancel_reason: str | None = None
    job_id: str | None = Field(default=None, max_length=32)  # the planning job that last wrote it
    # Set when people edit it (``updateSalon``): from then on it is theirs, and re-planning the
    # month leaves it as they wrote it, whatever its status.
    edited_by: str | None = Field(default=None, max_length=200)
    edited_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SalonDepartment(SQLModel, table=True):
    """The departments a salon is for (its attendees): what row-level reads filter on."""

    __table_args__ = (Index("ix_salondepartment_department_salon", "department_id", "salon_id"),)

    salon_id: int = Field(foreign_key="salon.id", primary_key=True, ondelete="CASCADE")
    department_id: int = Field(foreign_key="department.id", primary_key=True, ondelete="CASCADE")


class PlanningClaim(SQLModel, table=True):
    """The scheduler's claim on planning a month: the first worker to insert it plans; the
    primary key turns every other worker's attempt into a harmless conflict."""

    month: str = Field(primary_key=True, max_length=7)
    job_id: str = Field(max_length=32)
    claimed_at: datetime = Field(default_factory=utcnow)
