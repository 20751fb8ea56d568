"""A request's reads, run in waves: the reads its resolvers ask for together run in one go and
share one session.

A screen asks for its data in waves — the department; then its children, gaps and growth needs;
then each gap's metric, drivers and feedback themes — and each DataLoader of a wave used to take
a thread hop and a session of its own. Now a wave runs in one go, whatever the number of loaders
in it: the queries one after the other, each with its own answer or its own error; after a query
that fails the next ones get a fresh session (the rows already read stay as read), and when the
database is unavailable the rest of the wave fails with the same error at once instead of each
waiting out its own timeout.

Where a wave runs depends on the database:

- **A SQLite file: on the event loop.** A thread hop cost more than the reads it carried: measured
  on the department dashboard at ten concurrent requests, the hops (waking a worker, the GIL
  handed back and forth with the loop's own work) doubled the CPU a request took — 6.9 ms with
  them, 3.5 ms with the same reads on the loop. A screen's reads are index lookups of a local
  file, microseconds each, and in WAL mode a reader never waits for a writer. A read that turns
  out long (a scan) must not hold up every other request, so a wave on the loop has a budget
  (:data:`LOOP_BUDGET`): SQLite interrupts a statement that outruns it, and the rest of the wave,
  that statement first, runs in a worker thread. Each wave takes a session of its own and gives it
  back at once: a session held across waves on the loop could leave a later request's wave waiting
  for a pooled connection with the loop — the only thread that could return one — blocked.
- **PostgreSQL served by an application: on the event loop, through psycopg's asyncio
  connection** (``twin``, :func:`domain.db.async_twin`): the same sync loaders run in
  SQLAlchemy's ``AsyncSession.run_sync``, and each statement's wait for the server is an
  ``await`` — other requests run meanwhile, and no thread is woken. Measured on the department
  dashboard at ten concurrent requests (``bench/serve.py``): 7.7–9.2 ms of server CPU per
  request, against 9.1–11.1 ms with a worker thread per wave.
- **PostgreSQL otherwise (and SQLite in memory): in a worker thread**, where a query may wait on
  the network or a lock without blocking anyone else.

  On PostgreSQL an HTTP operation's reads hold one session (one pooled
  connection) from its first wave to its end (``hold=True``): taking a connection from the pool
  costs PostgreSQL a ping, and returning it a rollback, for each wave. Between waves the session
  lets go of the rows it read (they stay as read, as after a close), so a later wave reads what is
  committed then, not what an earlier wave cached. The operation's last hop
  (:meth:`RequestReads.finish`: its audit entry) runs in the same session and closes it;
  :meth:`RequestReads.release` closes it otherwise, and is safe to call whatever happened (an error, a cancelled request, a wave
  still running): the session is closed once, by whoever sees the operation over and no wave
  running. A socket's operations do not hold one: a subscription lives for hours and would keep a
  connection out of the pool.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar

from anyio import to_thread
from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.db import is_sqlite_file
from domain.errors import is_database_unavailable

T = TypeVar("T")
Query = Callable[[Session], Any]
Outcome = tuple[bool, Any]  # (True, the answer) or (False, the error)

_CLOSING: set[asyncio.Task] = set()  # twins' sessions being closed after their operation
LOOP_BUDGET = 0.01  # seconds of SQL a wave may take on the event loop before the rest moves off it
BUDGET_STEPS = 10_000  # SQLite virtual machine steps between two looks at the clock


class RequestReads:
    """``await reads(query)`` runs ``query(session)`` with the other reads asked for in the same
    turn of the loop (one session; on the loop or in one worker thread, see above); reads asked
    for while a wave runs form the next one. One per request (its :class:`api.context.Context`).
    With a ``twin`` (``engine``'s asyncio engine) waves run on the loop through it; otherwise
    ``on_loop`` says where they run, by default on the loop for a SQLite file only."""

    def __init__(
        self,
        engine: Engine,
        *,
        hold: bool = False,
        on_loop: bool | None = None,
        twin: AsyncEngine | None = None,
    ) -> None:
        self.engine = engine
        self.twin = twin
        self.on_loop = twin is None and (is_sqlite_file(engine) if on_loop is None else on_loop)
        self._hold = hold
        self._waiting: list[tuple[Query, asyncio.Future]] = []
        self._draining = False
        # held between waves (``hold``), touched by one side at a time
        self._session: Session | AsyncSession | None = None
        self._over = False  # the operation ended: the next wave is the last to use the held session
        self.waves = 0  # waves run, for tests and measurements
        self.hops = 0  # worker thread hops taken
        self.sessions = 0  # sessions opened

    @property
    def hold(self) -> bool:
        """Whether the session is kept between waves: asked for, and not a SQLite file's on the loop."""
        return self._hold and not self.on_loop

    @hold.setter
    def hold(self, value: bool) -> None:
        self._hold = value

    async def finish(self, query: Callable[[Session], T]) -> T:
        """Run the operation's last read or write in the held session (committed by ``query``
        itself if it writes) and close the session in the same hop. Not for a SQLite file's
        waves on the loop: a write there could wait, blocking the loop, for the write lock."""
        if self.on_loop:
            raise RuntimeError("finish() is not for a SQLite file's waves on the loop")
        self._over = True
        return await self(query)

    def release(self) -> None:
        """The operation is over: close the held session now, or after the wave that is running.
        Idempotent; never waits (the close runs in a worker thread, or a task for a twin's
        session: on PostgreSQL it is a rollback)."""
        self._over = True
        if not self._draining:
            self._close_later()

    def _close_later(self) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop running (it is closing): close here if it can be
            if isinstance(session, Session):
                session.close()
            return
        if isinstance(session, AsyncSession):
            task = loop.create_task(session.close())
            _CLOSING.add(task)  # a task nobody refers to may be collected before it ends
            task.add_done_callback(_CLOSING.discard)
        else:
            loop.run_in_executor(None, session.close)

    def _open(self) -> Session:
        self.sessions += 1
        return Session(self.engine)

    def _open_async(self) -> AsyncSession:
        self.sessions += 1
        return AsyncSession(self.twin)

    async def __call__(self, query: Callable[[Session], T]) -> T:
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append((query, future))
        if not self._draining:
            self._draining = True
            # a task starts on the loop's next turn: the loaders dispatched in this one join first
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._waiting:
                wave, self._waiting = self._waiting, []
                self.waves += 1
                queries = [query for query, _ in wave]
                try:
                    if self.twin is not None:
                        outcomes = await self._run_async(queries)
                    else:
                        outcomes = self._run_on_loop(queries) if self.on_loop else []
                    if len(outcomes) < len(queries):  # in a thread, or what outran the loop's budget
                        self.hops += 1
                        outcomes += await to_thread.run_sync(self._run, queries[len(outcomes) :])
                except Exception as error:  # noqa: BLE001  (the hop itself failed: every read of the wave)
                    outcomes = [(False, error)] * len(wave)
                except BaseException:  # cancelled (the loop is closing): nobody waits for an answer
                    for _, future in wave + self._waiting:
                        future.cancel()
                    raise
                for (_, future), (ok, value) in zip(wave, outcomes, strict=True):
                    if future.done():  # the request was cancelled meanwhile
                        continue
                    if ok:
                        future.set_result(value)
                    else:
                        future.set_exception(value)
        finally:
            self._draining = False
            if self._over:
                self._close_later()

    def _run_on_loop(self, queries: list[Query]) -> list[Outcome]:
        """Run the wave here, in a session of its own, until SQLite interrupts a statement that
        outran :data:`LOOP_BUDGET`: the outcomes of the queries before it (the caller runs the
        rest in a thread)."""
        session = self._open()
        budget = _Budget(LOOP_BUDGET)
        try:
            budget.arm(session)
            return self._each(session, queries, budget)
        finally:
            budget.disarm()
            session.close()

    async def _run_async(self, queries: list[Query]) -> list[Outcome]:
        """Run the wave on the loop in the twin's session: the queries are the same sync code,
        run by ``run_sync`` in a greenlet whose every wait for the server is awaited here."""
        session, self._session = self._session or self._open_async(), None
        try:
            return await session.run_sync(self._each, queries)
        finally:
            if self.hold and not self._over:
                session.expunge_all()  # as in a thread: the next wave reads afresh
                self._session = session
            else:
                await session.close()

    def _run(self, queries: list[Query]) -> list[Outcome]:
        session, self._session = self._session or self._open(), None
        try:
            return self._each(session, queries)
        finally:
            if self.hold and not self._over:
                # the rows read stay as read; the next wave reads afresh (nothing cached)
                session.expunge_all()
                self._session = session
            else:
                session.close()

    def _each(self, session: Session, queries: list[Query], budget: _Budget | None = None) -> list[Outcome]:
        """Each query's outcome, in order; with a ``budget``, those before the one it interrupted."""
        outcomes: list[Outcome] = []
        for query in queries:
            try:
                outcomes.append((True, query(session)))
            except Exception as error:  # noqa: BLE001  (handed to the read that asked)
                if budget is not None and budget.spent:
                    break
                # closed, not rolled back: a rollback would expire the rows the wave's earlier
                # reads returned (their callers read them after the session is gone); the same
                # Session then begins again on another connection
                if budget is not None:
                    budget.disarm()
                session.close()
                self.sessions += 1
                if is_database_unavailable(error):
                    outcomes += [(False, error)] * (len(queries) - len(outcomes))
                    break
                outcomes.append((False, error))
                if budget is not None:
                    budget.arm(session)
        return outcomes


class _Budget:
    """SQLite's progress handler as a deadline: a statement running past it is interrupted
    (``sqlite3.OperationalError: interrupted``) and :attr:`spent` says why."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.spent = False
        self._driver = None

    def _check(self) -> bool:
        if time.monotonic() > self.deadline:
            self.spent = True
        return self.spent

    def arm(self, session: Session) -> None:
        """Watch the statements of ``session``'s connection (taken from the pool here)."""
        self._driver = session.connection().connection.driver_connection
        self._driver.set_progress_handler(self._check, BUDGET_STEPS)

    def disarm(self) -> None:
        """Before the connection goes back to the pool, where it serves threads without a budget."""
        if self._driver is not None:
            self._driver.set_progress_handler(None, BUDGET_STEPS)
            self._driver = None
