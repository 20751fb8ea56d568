"""Counting the SQL a request runs (Saleor-style query-count pins).

The app's own background threads — the outbox relay, the bookkeeper, the scheduler, Redis
maintenance, Dramatiq's worker threads — share the engine and poll it on their own clocks: their
statements are not the request's, so they are left out, or a pin would flicker by one.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from dramatiq.worker import WorkerThread
from sqlalchemy import Engine, event

from domain.db import origin_of

BACKGROUND_PREFIXES = ("salon-", "redis-maintenance")


def _background() -> bool:
    thread = threading.current_thread()
    return isinstance(thread, WorkerThread) or thread.name.startswith(BACKGROUND_PREFIXES)


@contextlib.contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements ``engine`` runs inside the block for requests, in order."""
    statements: list[str] = []

    def listener(conn, cursor, statement, *args) -> None:
        # its asyncio twin's too (PostgreSQL's request reads, domain.db.async_twin), whenever made
        if origin_of(conn.engine) is engine and not _background():
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", listener)
