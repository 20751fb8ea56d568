"""Writing and reading the audit trail (``domain.models.AuditEntry``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, insert
from sqlmodel import Session, col, select

from domain.models import AuditEntry, utcnow


def record(
    engine: Engine, actor: str, events: Iterable[tuple[str, str | None]], at: datetime | None = None
) -> int:
    """Append one row per (action, target), in one statement and its own transaction, so the
    trail is written even when the request's own work failed. Returns the rows written."""
    at = at or utcnow()
    rows = [{"at": at, "actor": actor, "action": action, "target": target} for action, target in events]
    if rows:
        with engine.begin() as connection:
            connection.execute(insert(AuditEntry), rows)
    return len(rows)


def latest(session: Session, last: int) -> list[AuditEntry]:
    """The ``last`` entries, newest first."""
    statement = select(AuditEntry).order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(last)
    return list(session.exec(statement).all())
