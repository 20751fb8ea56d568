"""The audit trail: who did or read what, when, about whom."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from domain.models.base import utcnow


class AuditEntry(SQLModel, table=True):
    """One request's mutations and reads of individual-level data (refused ones too), by one actor.

    ``actor`` is ``role:subject``; ``actions`` lists what was done (distinct, in order) and
    ``subjects`` whom it concerned (``employee:E0001``, ``department:PROD``), never their
    content. ``action`` repeats ``actions`` joined by ", " and ``target`` is the subject when
    there is exactly one (they were the whole entry before one row per request; rows of that
    time have empty lists). Rows are only ever added.
    """

    __table_args__ = (Index("ix_auditentry_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str
    action: str
    target: str | None = None
    actions: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )
    subjects: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )
