"""PostgreSQL reads into Arrow columns through ADBC, on connections the process keeps.

Opening an ADBC connection is slow (its driver reads the server's type catalogue first), and
a one-month recompute reads three times: connecting was a noticeable part of its time. Idle
connections are kept per database and handed to one read at a time. They run in autocommit,
so a kept connection sees what a new one would: each statement the latest committed rows.
A kept connection the server has dropped fails its read, which then runs once more on a new
connection. A forked child leaves its parent's connections alone (they share sockets).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from contextlib import closing

import adbc_driver_manager
import adbc_driver_postgresql
import polars as pl

IDLE_PER_DATABASE = 4  # as many as a process reads at once; more are closed when returned
DATABASES = 4  # kept for the databases read last; a process normally reads one


class _Reader:
    def __init__(self, libpq: str) -> None:
        self._database = adbc_driver_postgresql.connect(libpq)
        try:
            self._connection = adbc_driver_manager.AdbcConnection(self._database)
        except BaseException:
            self._database.close()
            raise

    def read(self, sql: str) -> pl.DataFrame:
        with closing(adbc_driver_manager.AdbcStatement(self._connection)) as statement:
            statement.set_sql_query(sql)
            stream, _ = statement.execute_query()
            return pl.DataFrame(stream)

    def close(self) -> None:
        for handle in (self._connection, self._database):
            try:
                handle.close()
            except adbc_driver_manager.Error:  # a connection the server dropped has nothing to close
                pass


class _Idle:
    """The process's idle readers by database; taken and given back under a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._readers: OrderedDict[str, list[_Reader]] = OrderedDict()  # least recently used first
        self._inherited: list[dict[str, list[_Reader]]] = []  # kept, never closed: see take

    def take(self, libpq: str) -> _Reader | None:
        with self._lock:
            if self._pid != os.getpid():
                # a forked child: the parent's connections share their sockets with it; closing
                # one here would end the parent's session, so they are set aside, untouched
                self._inherited.append(self._readers)
                self._pid, self._readers = os.getpid(), OrderedDict()
            idle = self._readers.get(libpq)
            return idle.pop() if idle else None

    def give_back(self, libpq: str, reader: _Reader) -> None:
        closing_now = [reader]
        with self._lock:
            idle = self._readers.setdefault(libpq, [])
            self._readers.move_to_end(libpq)
            if self._pid == os.getpid() and len(idle) < IDLE_PER_DATABASE:
                idle.append(reader)
                closing_now.pop()
            while len(self._readers) > DATABASES:
                closing_now += self._readers.popitem(last=False)[1]
        for unused in closing_now:
            unused.close()

    def close_all(self) -> None:
        with self._lock:
            readers, self._readers = self._readers, OrderedDict()
        for idle in readers.values():
            for reader in idle:
                reader.close()


_IDLE = _Idle()


def read(libpq: str, sql: str, schema: pl.Schema) -> pl.DataFrame:
    """Run ``sql`` (values inlined: ADBC binds Arrow arrays, not Python values) into a frame
    of ``schema``'s columns, cast to its types."""
    kept = _IDLE.take(libpq)
    try:
        frame = _read_on(kept or _Reader(libpq), libpq, sql)
    except adbc_driver_manager.Error:
        if kept is None:
            raise
        frame = _read_on(_Reader(libpq), libpq, sql)  # the server may have dropped the kept one
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


def _read_on(reader: _Reader, libpq: str, sql: str) -> pl.DataFrame:
    """``sql`` on ``reader``, given back to be kept when it worked, closed when it did not."""
    try:
        frame = reader.read(sql)
    except BaseException:
        reader.close()
        raise
    _IDLE.give_back(libpq, reader)
    return frame


def close_all() -> None:
    """Close the process's idle connections (the tests; a process ending closes them anyway)."""
    _IDLE.close_all()
