"""Audit entries written with group commit: the entries of the operations ending together go to
the database in one transaction, and each operation answers once its entry is committed.

Every read of individual-level data writes an entry before its answer leaves (the dashboard's
drivers are such a read). Where an operation's reads held no session — a SQLite file, whose
reads run on the event loop, and mutations — the entry needs a thread hop and a transaction of
its own, and a write must not run on the loop (it may wait for the file's write lock). A single
writer thread per process takes whatever entries are waiting, inserts them in one statement and
commits once; entries arriving meanwhile wait for the next round (at ten concurrent dashboard
requests on SQLite, 8–12 entries a round). Alone, an entry is written at once. A PostgreSQL
query writes its entry in the connection its reads held instead (:class:`api.audit.AuditTrail`):
measured, that cost less there than the writer's rounds.

The entry is committed before the answer is sent, as before: nothing an operation read goes
unrecorded because the process died right after answering. A round that fails is retried one
entry at a time, so only the entries that really cannot be written fail (their operations report
the error, :class:`api.audit.AuditTrail`), not the others of their round.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from weakref import WeakKeyDictionary, ref

from sqlalchemy import Engine, insert

from domain import audit
from domain.models import AuditEntry

_WRITERS: WeakKeyDictionary[Engine, AuditWriter] = WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()
# one thread for all writers: rounds are short, and entries of one engine are written in order
_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-writer")

_Waiting = tuple[dict, asyncio.AbstractEventLoop, asyncio.Future]


def writer_for(engine: Engine) -> AuditWriter:
    """The process's writer for ``engine``."""
    with _WRITERS_LOCK:
        writer = _WRITERS.get(engine)
        if writer is None:
            writer = _WRITERS[engine] = AuditWriter(engine)
        return writer


class AuditWriter:
    """``await writer.write(actor, events)`` returns once the entry is committed (or raises why
    it could not be). Safe to call from several event loops (threads) at once."""

    def __init__(self, engine: Engine) -> None:
        self._engine = ref(engine)  # not kept alive by its writer (the registry's values)
        self._waiting: list[_Waiting] = []
        self._lock = threading.Lock()
        self._writing = False
        self.rounds = 0  # transactions committed or tried, for tests and measurements

    async def write(self, actor: str, events: list[tuple[str, str | None]]) -> None:
        row = audit.entry(actor, events)
        if row is None:
            return
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self._lock:
            self._waiting.append((row, loop, future))
            start, self._writing = not self._writing, True
        if start:
            _THREAD.submit(self._rounds)
        await future

    def _rounds(self) -> None:
        """In the writer thread: a round per batch of waiting entries, until none waits."""
        while True:
            with self._lock:
                batch, self._waiting = self._waiting, []
                if not batch:
                    self._writing = False
                    return
            self.rounds += 1
            try:
                self._insert([row for row, _, _ in batch])
                outcomes: list[BaseException | None] = [None] * len(batch)
            except Exception as error:  # noqa: BLE001  (handed to the operations that wait)
                outcomes = self._one_by_one(batch) if len(batch) > 1 else [error]
            for (_, loop, future), outcome in zip(batch, outcomes, strict=True):
                try:
                    loop.call_soon_threadsafe(_settle, future, outcome)
                except RuntimeError:  # that loop has closed: nobody waits any more
                    pass

    def _one_by_one(self, batch: list[_Waiting]) -> list[BaseException | None]:
        outcomes: list[BaseException | None] = []
        for row, _, _ in batch:
            try:
                self._insert([row])
                outcomes.append(None)
            except Exception as error:  # noqa: BLE001
                outcomes.append(error)
        return outcomes

    def _insert(self, rows: list[dict]) -> None:
        engine = self._engine()
        if engine is None:
            raise RuntimeError("the audit entry's database engine was closed")
        with engine.begin() as connection:
            connection.execute(insert(AuditEntry), rows)


def _settle(future: asyncio.Future, error: BaseException | None) -> None:
    if future.done():  # the operation was cancelled meanwhile (its entry is written all the same)
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)
