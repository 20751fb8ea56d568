"""Fast table I/O for the recompute: rows in as columns, not objects; results out by the bulk path.

Going through SQLAlchemy rows costs about as much as the whole computation (a Python object
per value, twice). On PostgreSQL reads go through ADBC (Arrow Database Connectivity), whose
driver builds Arrow columns in C that Polars takes without a copy, faster than ``COPY … TO
STDOUT`` parsed as CSV (``bench/gaps.py`` times both as read floors; ``bench/RESULTS.md``).
The ADBC connection is its own (``workers.arrow_reads`` keeps them between reads), outside
the recompute's transaction, which under READ COMMITTED would see each statement's newest
committed rows anyway. On SQLite the cursor's tuples go straight into a frame: ADBC's SQLite
driver carries a second copy of the SQLite library, and two copies in one process break each
other's locks on the same file (https://sqlite.org/howtocorrupt.html, 2.2.1 — here a bus error
in the test suite). Writes use the import's bulk path (COPY / executemany of
tuples), stamped with one ``computed_at``; a ``Writer`` does them on a thread while the next
frame is computed. On PostgreSQL the largest result tables are written by difference
(``sync``): only the rows that change.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import polars as pl
from sqlalchemy import ColumnElement, Connection, Executable, delete, select
from sqlalchemy.sql.elements import True_

from domain.db import libpq_uri
from domain.importing import bulk
from domain.models import utcnow
from workers import arrow_reads
from workers.changes import changes


def _compiled(connection: Connection, statement: Executable) -> tuple[str, object]:
    """The statement as the driver sees it: SQL text and its parameters (IN lists expanded)."""
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    if compiled.positional:
        return str(compiled), tuple(compiled.params[name] for name in compiled.positiontup)
    return str(compiled), compiled.params


def read(connection: Connection, statement: Executable, schema: pl.Schema) -> pl.DataFrame:
    """Run a SELECT of ``schema``'s columns (in that order) into a frame of that schema.

    On PostgreSQL, committed rows only (see above): for the source tables, which the
    recompute never writes.
    """
    if connection.dialect.name == "postgresql":
        return arrow_reads.read(_libpq(connection), _literal_sql(connection, statement), schema)
    return _read_rows(connection, statement, schema)


def _literal_sql(connection: Connection, statement: Executable) -> str:
    """The statement with its values inlined (ADBC binds Arrow arrays, not Python values): ids
    and validated periods from the recompute's own scope, quoted by the dialect."""
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"literal_binds": True, "render_postcompile": True}
    )
    return str(compiled)


def _libpq(connection: Connection) -> str:
    """The engine's database as a libpq URI, with the engine's bounds on every wait."""
    return libpq_uri(connection.engine)


def _read_rows(connection: Connection, statement: Executable, schema: pl.Schema) -> pl.DataFrame:
    sql, params = _compiled(connection, statement)
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(rows, schema=schema, orient="row")


def stamp(connection: Connection, table) -> object:
    """``now`` as the driver stores ``table.computed_at`` (SQLite: SQLAlchemy's text format)."""
    column_type = table.c.computed_at.type
    process = column_type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    value = process(utcnow()) if process else utcnow()
    return value if isinstance(value, str) else value.isoformat()


def insert(connection: Connection, model, frame: pl.DataFrame) -> int:
    """Insert ``frame``'s rows (its columns name ``model``'s) by the bulk path; returns rows written."""
    table = model.__table__
    if "computed_at" in table.c and "computed_at" not in frame.columns:
        frame = frame.with_columns(computed_at=pl.lit(stamp(connection, table)))
    bulk.insert(connection, table, frame)
    return frame.height


def clear(connection: Connection, model, condition: ColumnElement[bool]) -> None:
    """Delete ``model``'s rows matching ``condition``.

    A condition that is always true deletes without a WHERE clause: SQLite then empties the
    table without visiting each row (its truncate optimisation; TRUNCATE on PostgreSQL would
    lock readers out until commit, so there it stays a DELETE).
    """
    connection.execute(delete(model) if isinstance(condition, True_) else delete(model).where(condition))


def replace(connection: Connection, model, condition: ColumnElement[bool], frame: pl.DataFrame) -> int:
    """Delete ``model``'s rows matching ``condition``, insert ``frame``'s; returns rows written."""
    clear(connection, model, condition)
    return insert(connection, model, frame)


def sync(connection: Connection, model, condition: ColumnElement[bool], frame: pl.DataFrame) -> int:
    """``replace``, writing only the rows that change (``workers.changes``); returns ``frame``'s rows.

    For PostgreSQL and ``model``s keyed by their natural key. There a key inserted where the
    same transaction deleted one is checked against the dead entry, so rewriting unchanged rows
    costs about three times an insert into an empty table — more than reading them back (COPY
    as CSV, on the transaction's connection) and comparing them (``bench/RESULTS.md``). The
    stored rows must not change under the comparison: the caller keeps other writers of them
    out (``workers.rebuild`` locks the metrics it rebuilds). SQLite frees a deleted entry at
    once, so there it replaces.
    """
    if connection.dialect.name != "postgresql":
        return replace(connection, model, condition, frame)
    table = model.__table__
    statement = select(*(table.c[name] for name in frame.columns)).where(condition)
    stored = bulk.read(connection, _literal_sql(connection, statement), frame.schema)
    change = changes(stored, frame, [column.name for column in table.primary_key.columns])
    bulk.delete(connection, table, change.stale)
    insert(connection, model, change.fresh)
    return frame.height


class Writer:
    """Writes scopes (``replace``, ``sync``) on a thread of its own, in the order given, while
    the caller computes.

    A million-row write keeps the database busy for seconds that Polars can spend on the next
    frame (it releases the GIL, and so do the drivers while the server works). The connection
    stays the transaction's: between the first write queued and the end of the ``with`` block
    only the writer may use it, so read everything first. Leaving the block waits for every write —
    also when the block raises, so that nothing writes while the transaction rolls back — and
    raises the first failed write's error.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="salon-writer")
        self._writes: list[Future[int]] = []

    def replace(self, model, condition: ColumnElement[bool], frame: pl.DataFrame) -> int:
        """Queue ``replace``; returns the rows it will write."""
        self.submit(replace, self._connection, model, condition, frame)
        return frame.height

    def sync(self, model, condition: ColumnElement[bool], frame: pl.DataFrame) -> int:
        """Queue ``sync``; returns the rows ``model`` will hold for ``condition``."""
        self.submit(sync, self._connection, model, condition, frame)
        return frame.height

    def submit(self, write: Callable[..., object], *arguments: object) -> None:
        """Queue ``write(*arguments)``, a function that writes through the connection."""
        self._writes.append(self._thread.submit(write, *arguments))

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        try:
            for write in self._writes:
                if error is None:
                    write.result()  # the first failure stops here: the writes after it see a failed transaction
                else:
                    write.exception()  # just wait: the block's own error is the one to raise
        finally:
            self._thread.shutdown(wait=True, cancel_futures=True)
