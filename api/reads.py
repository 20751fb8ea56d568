"""A request's reads, run in waves: the reads its resolvers ask for together go to a worker
thread in one hop and share one session.

A screen asks for its data in waves — the department; then its children, gaps and growth needs;
then each gap's metric, drivers and feedback themes — and each DataLoader of a wave used to take
a thread hop and a session of its own. Under load the hop costs far more than the query: the
worker waits for the event loop to release the GIL, then the loop waits for the worker (each up
to the interpreter's switch interval), so a dashboard's eight hops made its latency. Now a wave
takes one hop, whatever the number of loaders in it.

The queries of a wave run one after the other, so a slow one delays the others of its wave
(they used to run in parallel threads, which on SQLite and under the GIL overlapped little).
Each query gets its own answer or its own error; after a query that fails the next ones get a
fresh session (the rows already read stay as read), and when the database is unavailable the
rest of the wave fails with the same error at once instead of each waiting out its own timeout.

An HTTP operation's reads hold one session (one pooled connection) from its first wave to its end
(``hold=True``): taking a connection from the pool costs PostgreSQL a ping, and returning it a
rollback, for each wave. Between waves the session lets go of the rows it read (they stay as read,
as after a close), so a later wave reads what is committed then, not what an earlier wave cached.
The operation's last hop (:meth:`RequestReads.finish`: the audit entry) runs in the same session
and closes it; :meth:`RequestReads.release` closes it otherwise, and is safe to call whatever
happened (an error, a cancelled request, a wave still running): the session is closed once, by
whoever sees the operation over and no wave running. A socket's operations do not hold one: a
subscription lives for hours and would keep a connection out of the pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from anyio import to_thread
from sqlalchemy import Engine
from sqlmodel import Session

from domain.errors import is_database_unavailable

T = TypeVar("T")
Query = Callable[[Session], Any]


class RequestReads:
    """``await reads(query)`` runs ``query(session)`` off the event loop, with the other reads
    asked for in the same turn of the loop (one worker thread, one session); reads asked for
    while a wave runs form the next one. One per request (its :class:`api.context.Context`)."""

    def __init__(self, engine: Engine, *, hold: bool = False) -> None:
        self.engine = engine
        self.hold = hold
        self._waiting: list[tuple[Query, asyncio.Future]] = []
        self._draining = False
        self._session: Session | None = None  # held between waves (``hold``), touched by one side at a time
        self._over = False  # the operation ended: the next wave is the last to use the held session
        self.waves = 0  # worker thread hops taken, for tests and measurements
        self.sessions = 0  # sessions opened, for tests and measurements

    async def finish(self, query: Callable[[Session], T]) -> T:
        """Run the operation's last read or write (in the held session, committed by ``query``
        itself if it writes) and close the session in the same hop."""
        self._over = True
        return await self(query)

    def release(self) -> None:
        """The operation is over: close the held session now, or after the wave that is running.
        Idempotent; never waits (the close runs in a worker thread: on PostgreSQL it is a rollback)."""
        self._over = True
        if not self._draining:
            self._close_later()

    def _close_later(self) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        try:
            asyncio.get_running_loop().run_in_executor(None, session.close)
        except RuntimeError:  # no loop running (it is closing): close here
            session.close()

    def _open(self) -> Session:
        self.sessions += 1
        return Session(self.engine)

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
                try:
                    outcomes = await to_thread.run_sync(self._run, [query for query, _ in wave])
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

    def _run(self, queries: list[Query]) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = []
        session, self._session = self._session or self._open(), None
        try:
            for query in queries:
                try:
                    outcomes.append((True, query(session)))
                except Exception as error:  # noqa: BLE001  (handed to the read that asked)
                    # closed, not rolled back: a rollback would expire the rows the wave's earlier
                    # reads returned (their callers read them after the session is gone)
                    session.close()
                    session = self._open()
                    if is_database_unavailable(error):
                        outcomes += [(False, error)] * (len(queries) - len(outcomes))
                        break
                    outcomes.append((False, error))
        finally:
            if self.hold and not self._over:
                # the rows read stay as read; the next wave reads afresh (nothing cached)
                session.expunge_all()
                self._session = session
            else:
                session.close()
        return outcomes
