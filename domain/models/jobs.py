"""Job: the durable record of a background computation, and its outbox entry.

The broker may forget a message (the embedded one keeps nothing across restarts) or refuse it
(down, unreachable); this row does not. It is written in the transaction of the work that needs
it, unsent (``sent_at`` empty), and a relay in every worker sends it until the broker confirmed
it (``workers.relay``), so a committed job always gets its message.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from domain.models.base import one_of, utcnow


class JobStatus(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


def _new_id() -> str:
    return uuid.uuid4().hex


class Job(SQLModel, table=True):
    __table_args__ = (one_of("status", JobStatus),)

    id: str = Field(default_factory=_new_id, primary_key=True, max_length=32)
    actor: str = Field(index=True)  # the Dramatiq actor that runs it
    # a part of a larger job, fanned out as its own message (see workers.fanout)
    parent_id: str | None = Field(
        default=None, foreign_key="job.id", ondelete="CASCADE", index=True, max_length=32
    )
    args: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=JobStatus.QUEUED.value, index=True)
    attempts: int = 0
    error: str | None = None
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    # the outbox: when the broker confirmed its message (None: to be sent by a relay), failed
    # sends so far, when to try again (None: now), and why the last send failed
    sent_at: datetime | None = None
    send_attempts: int = 0
    next_send_at: datetime | None = None
    send_error: str | None = None
    heartbeat_at: datetime | None = None  # written while a worker runs it; stale = the worker died
