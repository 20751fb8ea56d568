"""The audit trail: who did or read what, when, about whom."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from domain.models.base import utcnow


class AuditEntry(SQLModel, table=True):
    """One mutation, or one read of individual-level data, by one actor.

    ``actor`` is ``role:subject``; ``target`` names the object (``employee:E0001``,
    ``department:PROD``), never its content. Rows are only ever added.
    """

    __table_args__ = (Index("ix_auditentry_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str
    action: str
    target: str | None = None
