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

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._waiting: list[tuple[Query, asyncio.Future]] = []
        self._draining = False
        self.waves = 0  # worker thread hops taken, for tests and measurements

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

    def _run(self, queries: list[Query]) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = []
        session = Session(self.engine)
        try:
            for query in queries:
                try:
                    outcomes.append((True, query(session)))
                except Exception as error:  # noqa: BLE001  (handed to the read that asked)
                    # closed, not rolled back: a rollback would expire the rows the wave's earlier
                    # reads returned (their callers read them after the session is gone)
                    session.close()
                    session = Session(self.engine)
                    if is_database_unavailable(error):
                        outcomes += [(False, error)] * (len(queries) - len(outcomes))
                        break
                    outcomes.append((False, error))
        finally:
            session.close()
        return outcomes
