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
    """Append one row for a request's (action, target) events, in its own transaction, so the
    trail is written even when the request's own work failed: a request refused 300 reads
    leaves one entry listing 300 subjects, not 300 entries. Returns the rows written (0 or 1)."""
    events = list(events)
    if not events:
        return 0
    actions = list(dict.fromkeys(action for action, _ in events))
    subjects = list(dict.fromkeys(target for _, target in events if target is not None))
    row = {
        "at": at or utcnow(),
        "actor": actor,
        "action": ", ".join(actions),
        "target": subjects[0] if len(subjects) == 1 else None,
        "actions": actions,
        "subjects": subjects,
    }
    with engine.begin() as connection:
        connection.execute(insert(AuditEntry), [row])
    return 1


def latest(session: Session, last: int) -> list[AuditEntry]:
    """The ``last`` entries, newest first."""
    statement = select(AuditEntry).order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(last)
    return list(session.exec(statement).all())
