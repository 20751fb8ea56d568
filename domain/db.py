"""Engines and sessions.

SQLite is the embedded default, so its connections get the pragmas that make it a fair
multi-threaded store (foreign keys on, WAL, a busy timeout instead of instant lock errors).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from urllib.parse import quote, urlencode
from weakref import WeakKeyDictionary

import psycopg
from psycopg.connection import _WAIT_INTERVAL
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

POOL_SIZE = 10  # connections kept open per process: a request holds one while a wave of its reads runs
POOL_OVERFLOW = 10  # more, opened for a burst and closed when returned


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_sqlite_file(engine: Engine) -> bool:
    """A SQLite database in a file, which several connections share (in memory there is one)."""
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def hold_write_lock(connection: Connection) -> None:
    """Take a SQLite file's write lock before the transaction's first read.

    Python's driver begins a transaction only at the first write, so the reads before it see
    whatever was committed at each statement; a writer that reads, computes and writes would
    then store results of data another writer has replaced meanwhile (a rebuild's gaps from
    the department values of before an import's rebuild). ``BEGIN IMMEDIATE`` makes other
    writers wait their turn, within the busy timeout; readers do not wait. PostgreSQL needs
    nothing here: its writers lock what they rewrite.
    """
    if is_sqlite_file(connection.engine):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass(frozen=True)
class Limits:
    """How long a PostgreSQL connection may wait, in seconds.

    ``timeout`` bounds every wait that should be short whatever the work: connecting, a pooled
    connection, the ping that checks a pooled connection is alive, and how long a silent network
    goes unnoticed (TCP keepalive probes, ``tcp_user_timeout``). ``statement`` is the server's
    ``statement_timeout`` for a request; ``job`` the one inside :func:`job_statements` (imports,
    recomputes, migrations: bulk statements that may run for minutes).
    """

    timeout: int = 5
    statement: int = 30
    job: int = 1800

    def libpq(self, statement: int) -> dict[str, object]:
        """libpq connection parameters. Keepalives notice a dead peer after ``timeout`` seconds of
        silence (idle, then probes a second apart); ``tcp_user_timeout`` drops a connection whose
        sent data stays unacknowledged as long."""
        return {
            "connect_timeout": self.timeout,
            "keepalives": 1,
            "keepalives_idle": max(1, self.timeout // 2),
            "keepalives_interval": 1,
            "keepalives_count": max(1, self.timeout - self.timeout // 2),
            "tcp_user_timeout": self.timeout * 1000,
            "options": f"-c statement_timeout={statement * 1000}",
        }


_LIMITS: WeakKeyDictionary[Engine, Limits] = WeakKeyDictionary()
_in_job: ContextVar[bool] = ContextVar("salon_job_statements", default=False)


@contextmanager
def job_statements() -> Iterator[None]:
    """Connections taken in this block (this thread or task) run statements under the job's
    statement timeout instead of a request's, and wait as long for their answers."""
    token = _in_job.set(True)
    try:
        yield
    finally:
        _in_job.reset(token)


def enter_job_statements() -> Token:
    """:func:`job_statements` for code with separate start and end hooks (a broker middleware);
    pass the token to :func:`leave_job_statements`."""
    return _in_job.set(True)


def leave_job_statements(token: Token) -> None:
    _in_job.reset(token)


class _BoundedConnection(psycopg.Connection):
    """A psycopg connection that stops waiting for the server after ``wait_timeout`` seconds.

    TCP keepalives and ``tcp_user_timeout`` end a wait on a network that drops packets, and the
    server's ``statement_timeout`` one on a slow statement; neither ends it when something in
    between (a proxy, a load balancer, a NAT) keeps the TCP connection alive but forwards
    nothing. This client-side deadline does: the connection is closed (its state is unknown)
    and the statement fails as a lost connection, which callers report as an unavailable
    database.
    """

    wait_timeout: float = 5.0

    def wait(self, gen, interval=_WAIT_INTERVAL, timeout=None):
        try:
            return super().wait(gen, interval, self.wait_timeout if timeout is None else timeout)
        except psycopg.errors._WaitTimeout:
            self.close()
            raise _no_answer(self.wait_timeout) from None


class _BoundedAsyncConnection(psycopg.AsyncConnection):
    """:class:`_BoundedConnection` for the event loop (:func:`async_twin`)."""

    wait_timeout: float = 5.0

    async def wait(self, gen, interval=_WAIT_INTERVAL, timeout=None):
        try:
            return await super().wait(gen, interval, self.wait_timeout if timeout is None else timeout)
        except psycopg.errors._WaitTimeout:
            await self.close()
            raise _no_answer(self.wait_timeout) from None


def _no_answer(seconds: float) -> psycopg.OperationalError:
    return psycopg.OperationalError(f"the database did not answer within {seconds:g} s; connection closed")


def make_engine(
    url: str, timeout: int = 5, *, statement_timeout: int = 30, job_statement_timeout: int = 1800
) -> Engine:
    """An engine whose every wait is bounded (see :class:`Limits`), so a request fails fast
    when PostgreSQL is down, saturated or behind a silent network instead of hanging.

    A pooled connection is pinged on checkout within ``timeout``; a statement may take its
    statement timeout, plus ``timeout`` for the server's answer to arrive. A connection that
    stops answering is closed, the pool's older connections are dropped with it (a partition
    took them all), and one new connection is tried, within ``timeout`` again: a request meets
    a partition for at most about twice ``timeout``.

    ``hide_parameters`` keeps bound values (names, scores, feedback) out of error messages,
    and so out of logs.
    """
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        # a file: as many pooled connections as for PostgreSQL (SQLAlchemy keeps 5 by default, and
        # closes each connection over that when it is returned: at 10 concurrent requests, a
        # connection opened, set up (the pragmas) and closed for most reads); in memory: one
        # shared connection, or every thread would see its own empty database
        pool = (
            {"poolclass": StaticPool}
            if in_memory
            else {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
        )
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    limits = Limits(timeout, statement_timeout, job_statement_timeout)
    engine = create_engine(
        url,
        pool_pre_ping=True,  # a restarted database costs one failed ping, not a failed request
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=timeout,
        connect_args=limits.libpq(limits.statement),
        hide_parameters=True,
    )
    _LIMITS[engine] = limits
    _bound_waits(engine, limits)
    return engine


def _bound_waits(engine: Engine, limits: Limits) -> None:
    """A new connection starts with a request's statement timeout and the short wait that its
    first use, or the ping when it is next taken from the pool, needs; taken from the pool, it
    gets the statement's wait, and the job's statement timeout inside :func:`job_statements`
    (set on the session, so only a connection changing hands between a job and a request pays
    the extra round trip)."""

    @event.listens_for(engine, "do_connect")
    def connect(dialect, record, cargs, cparams):
        connection = _BoundedConnection.connect(*cargs, **cparams)
        connection.wait_timeout = limits.timeout
        record.info["statement_timeout"] = limits.statement
        return connection

    @event.listens_for(engine, "checkout")
    def checkout(dbapi_connection, record, proxy):
        statement = limits.job if _in_job.get() else limits.statement
        dbapi_connection.wait_timeout = statement + limits.timeout
        if record.info.get("statement_timeout") != statement:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {statement * 1000}")
            dbapi_connection.commit()
            record.info["statement_timeout"] = statement

    @event.listens_for(engine, "checkin")
    def checkin(dbapi_connection, record):
        if dbapi_connection is not None:
            dbapi_connection.wait_timeout = limits.timeout  # the next wait is the ping


def async_twin(engine: Engine) -> AsyncEngine:
    """An asyncio engine on ``engine``'s PostgreSQL database with the same bounds and a request's
    statement timeout, for reads that run on the event loop (:mod:`api.reads`): psycopg's
    asyncio connection waits for the server without a worker thread.

    Its connections belong to the event loop that opened them: make it on the loop that will
    use it (an application's lifespan) and dispose of it there. Its statements are ``engine``'s
    for whoever watches them (:func:`origin_of`).
    """
    limits = _LIMITS.get(engine, Limits())
    conninfo = libpq_uri(engine, limits.statement)

    async def connect() -> psycopg.AsyncConnection:
        connection = await _BoundedAsyncConnection.connect(conninfo)
        connection.wait_timeout = limits.timeout
        return connection

    twin = create_async_engine(
        engine.url,
        async_creator=connect,
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=limits.timeout,
        hide_parameters=True,
    )

    @event.listens_for(twin.sync_engine, "checkout")
    def checkout(dbapi_connection, record, proxy):
        dbapi_connection.driver_connection.wait_timeout = limits.statement + limits.timeout

    @event.listens_for(twin.sync_engine, "checkin")
    def checkin(dbapi_connection, record):
        if dbapi_connection is not None:
            dbapi_connection.driver_connection.wait_timeout = limits.timeout  # the next wait is the ping

    _ORIGINS[twin.sync_engine] = engine
    return twin


_ORIGINS: WeakKeyDictionary[Engine, Engine] = WeakKeyDictionary()


def origin_of(engine: Engine) -> Engine:
    """The engine whose twin ``engine`` is (:func:`async_twin`), else ``engine`` itself."""
    return _ORIGINS.get(engine, engine)


def libpq_uri(engine: Engine, statement: int | None = None) -> str:
    """``engine``'s PostgreSQL database as a libpq URI with the same bounds, for connections
    made outside SQLAlchemy: ADBC reads in jobs (the job's statement timeout, the default) and
    the asyncio twin's (a request's)."""
    limits = _LIMITS.get(engine, Limits())
    query = {**engine.url.query, **limits.libpq(limits.job if statement is None else statement)}
    base = engine.url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    return f"{base}?{urlencode(query, doseq=True, quote_via=quote)}"  # libpq reads %20, not +


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    Its callers read, check and write (a job's state, a salon's status). PostgreSQL locks the
    rows they read ``FOR UPDATE``; SQLite ignores that, so two such scopes could both read the
    old state and the later write would undo the other's (a retried job left QUEUED after it
    had succeeded): on SQLite the scope holds the write lock from its first read
    (``hold_write_lock``).
    """
    with Session(engine, expire_on_commit=False) as session:
        try:
            hold_write_lock(session.connection())
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
