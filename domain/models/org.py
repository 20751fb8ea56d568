"""The organisation: departments (a tree) and their employees."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel


class Department(SQLModel, table=True):
    __table_args__ = (CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, min_length=1)
    name: str
    parent_id: int | None = Field(default=None, foreign_key="department.id", index=True, ondelete="RESTRICT")
    # IANA name; None: the parent's, and at the top SALON_TIMEZONE (``domain.notifications.zones``)
    timezone: str | None = Field(default=None, max_length=64)


class Employee(SQLModel, table=True):
    __table_args__ = (CheckConstraint("manager_id IS NULL OR manager_id <> id", name="not_own_manager"),)

    id: int | None = Field(default=None, primary_key=True)
    employee_id: str = Field(unique=True, min_length=1)
    name: str
    department_id: int = Field(foreign_key="department.id", index=True, ondelete="RESTRICT")
    hire_date: date
    email: str | None = None
    team: str | None = None
    level: str | None = None
    manager_id: int | None = Field(default=None, foreign_key="employee.id", index=True, ondelete="SET NULL")
    locale: str | None = Field(
        default=None, max_length=16
    )  # what they read notifications in; None: SALON_LOCALE
    # Set by erasure: imports then keep this person's name, email and written text withheld.
    erased_at: datetime | None = None
