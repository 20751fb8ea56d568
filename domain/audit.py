"""Writing and reading the audit trail (``domain.models.AuditEntry``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, String, cast, insert, or_
from sqlmodel import Session, col, select

from domain.models import AuditEntry, utcnow


def record(
    engine: Engine, actor: str, events: Iterable[tuple[str, str | None]], at: datetime | None = None
) -> int:
    """Append one row for a request's (action, target) events, in its own transaction, so the
    trail is written even when the request's own work failed: a request refused 300 reads
    leaves one entry listing 300 subjects, not 300 entries. Returns the rows written (0 or 1)."""
    row = entry(actor, events, at)
    if row is None:
        return 0
    with engine.begin() as connection:
        connection.execute(insert(AuditEntry), [row])
    return 1


def record_in(session: Session, actor: str, events: Iterable[tuple[str, str | None]]) -> int:
    """:func:`record` in a session that has only read so far (an operation's, which it held for
    its reads), committed here: the operation's last hop writes its entry without taking another
    connection from the pool."""
    row = entry(actor, events)
    if row is None:
        return 0
    session.execute(insert(AuditEntry), [row])
    session.commit()
    return 1


def entry(actor: str, events: Iterable[tuple[str, str | None]], at: datetime | None = None) -> dict | None:
    """The row of an entry for the events, or None without events."""
    events = list(events)
    if not events:
        return None
    actions = list(dict.fromkeys(action for action, _ in events))
    subjects = list(dict.fromkeys(target for _, target in events if target is not None))
    return {
        "at": at or utcnow(),
        "actor": actor,
        "action": ", ".join(actions),
        "target": subjects[0] if len(subjects) == 1 else None,
        "actions": actions,
        "subjects": subjects,
    }


def latest(session: Session, last: int) -> list[AuditEntry]:
    """The ``last`` entries, newest first."""
    statement = select(AuditEntry).order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(last)
    return list(session.exec(statement).all())


def filtered(
    *,
    actor: str | None = None,
    action: str | None = None,
    subject: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    """Entries newest first, narrowed: ``action`` is the start of one of an entry's actions and
    ``subject`` one of its subjects (matched in the stored JSON lists, the same on both databases)."""
    statement = select(AuditEntry).order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    if actor is not None:
        statement = statement.where(col(AuditEntry.actor) == actor)
    if action is not None:
        pattern = "%" + json.dumps(action)[:-1].replace("%", r"\%").replace("_", r"\_") + "%"
        statement = statement.where(
            or_(
                col(AuditEntry.action).startswith(action, autoescape=True),
                cast(col(AuditEntry.actions), String).like(pattern, escape="\\"),
            )
        )
    if subject is not None:
        pattern = "%" + json.dumps(subject).replace("%", r"\%").replace("_", r"\_") + "%"
        statement = statement.where(
            or_(
                col(AuditEntry.target) == subject,
                cast(col(AuditEntry.subjects), String).like(pattern, escape="\\"),
            )
        )
    if since is not None:
        statement = statement.where(col(AuditEntry.at) >= since)
    if until is not None:
        statement = statement.where(col(AuditEntry.at) < until)
    return statement
