"""Engines and sessions.

SQLite is the embedded default, so its connections get the pragmas that make it a fair
multi-threaded store (foreign keys on, WAL, a busy timeout instead of instant lock errors).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool
from sqlmodel import Session


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _shared_file(engine: Engine) -> bool:
    """A SQLite database in a file, which several connections share (in memory there is one)."""
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def make_engine(url: str, timeout: int = 5) -> Engine:
    """``timeout`` (seconds) bounds both connecting and waiting for a pooled connection, so a
    request fails fast when PostgreSQL is down or saturated instead of hanging.

    ``hide_parameters`` keeps bound values (names, scores, feedback) out of error messages,
    and so out of logs.
    """
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            # one shared connection, or every thread would see its own empty database
            poolclass=StaticPool if in_memory else None,
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,  # a restarted database costs one failed ping, not a failed request
        pool_size=10,
        max_overflow=10,
        pool_timeout=timeout,
        connect_args={"connect_timeout": timeout},
        hide_parameters=True,
    )


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    Its callers read, check and write (a job's state, a salon's status). PostgreSQL locks the
    rows they read ``FOR UPDATE``; SQLite ignores that, and Python's driver begins a transaction
    only at the first write, so two such scopes could both read the old state and the later
    write would undo the other's (a retried job left QUEUED after it had succeeded). On a SQLite
    file the scope therefore takes the database's write lock before its first read (``BEGIN
    IMMEDIATE``: other writers wait their turn, within the busy timeout; readers do not wait).
    """
    with Session(engine, expire_on_commit=False) as session:
        try:
            if _shared_file(engine):
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
