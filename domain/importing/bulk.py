"""The database's bulk paths: COPY on PostgreSQL, executemany batches on SQLite.

Rows go from Polars to the driver in batches, so a million-row import never holds a million
Python objects at once.
"""

from __future__ import annotations

import io
import uuid
from contextlib import contextmanager

import polars as pl
from sqlalchemy import Connection, Table

BATCH = 50_000


def _batches(frame: pl.DataFrame):
    for offset in range(0, frame.height, BATCH):
        yield frame.slice(offset, BATCH)


def _sqlite_values(batch: pl.DataFrame) -> list[tuple]:
    # dates as ISO text: what SQLAlchemy's Date type stores on SQLite
    return batch.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d")).rows()


def _copy(connection: Connection, table_name: str, frame: pl.DataFrame) -> None:
    cursor = connection.connection.driver_connection.cursor()
    columns = ", ".join(f'"{name}"' for name in frame.columns)
    with cursor.copy(f'COPY "{table_name}" ({columns}) FROM STDIN WITH (FORMAT csv)') as copy:
        for batch in _batches(frame):
            buffer = io.BytesIO()
            batch.write_csv(buffer, include_header=False, null_value="")  # "" stays an empty string
            copy.write(buffer.getvalue())


def insert(connection: Connection, table: Table, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    if connection.dialect.name == "postgresql":
        _copy(connection, table.name, frame)
        return
    columns = ", ".join(f'"{name}"' for name in frame.columns)
    marks = ", ".join("?" for _ in frame.columns)
    cursor = connection.connection.driver_connection.cursor()
    for batch in _batches(frame):
        cursor.executemany(f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', _sqlite_values(batch))


def update(connection: Connection, table: Table, frame: pl.DataFrame) -> None:
    """Set the frame's columns on the rows whose ``id`` it names."""
    if frame.is_empty():
        return
    values = [name for name in frame.columns if name != "id"]
    if connection.dialect.name == "postgresql":
        assignments = ", ".join(f'"{name}" = s."{name}"' for name in values)
        with _staged(connection, table, frame) as (cursor, staging):
            cursor.execute(f'UPDATE "{table.name}" t SET {assignments} FROM {staging} s WHERE t.id = s.id')
        return
    assignments = ", ".join(f'"{name}" = ?' for name in values)
    cursor = connection.connection.driver_connection.cursor()
    ordered = frame.select(*values, "id")
    for batch in _batches(ordered):
        cursor.executemany(f'UPDATE "{table.name}" SET {assignments} WHERE id = ?', _sqlite_values(batch))


def delete(connection: Connection, table: Table, keys: pl.DataFrame) -> None:
    """Delete ``table``'s rows that equal one of ``keys``' rows on ``keys``' columns."""
    if keys.is_empty():
        return
    if connection.dialect.name == "postgresql":
        matched = " AND ".join(f't."{name}" = s."{name}"' for name in keys.columns)
        with _staged(connection, table, keys) as (cursor, staging):
            cursor.execute(f'DELETE FROM "{table.name}" t USING {staging} s WHERE {matched}')
        return
    matched = " AND ".join(f'"{name}" = ?' for name in keys.columns)
    cursor = connection.connection.driver_connection.cursor()
    for batch in _batches(keys):
        cursor.executemany(f'DELETE FROM "{table.name}" WHERE {matched}', _sqlite_values(batch))


@contextmanager
def _staged(connection: Connection, table: Table, frame: pl.DataFrame):
    """PostgreSQL: ``frame`` copied into a temporary table shaped like ``table``'s columns, for
    one statement joining the two (one COPY and one join instead of a statement per row)."""
    staging = f"_salon_staged_{uuid.uuid4().hex[:8]}"
    listed = ", ".join(f'"{name}"' for name in frame.columns)
    cursor = connection.connection.driver_connection.cursor()
    cursor.execute(
        f'CREATE TEMP TABLE {staging} ON COMMIT DROP AS SELECT {listed} FROM "{table.name}" WITH NO DATA'
    )
    _copy(connection, staging, frame)
    yield cursor, staging
    cursor.execute(f"DROP TABLE {staging}")


def read(connection: Connection, sql: str, schema: pl.Schema) -> pl.DataFrame:
    """PostgreSQL: a SELECT of ``schema``'s columns (in that order) through ``COPY … TO STDOUT``
    on the transaction's own connection, so it sees the transaction's own writes. CSV keeps
    NULL (unquoted, empty) apart from '' (quoted) and prints floats exactly."""
    cursor = connection.connection.driver_connection.cursor()
    buffer = io.BytesIO()
    with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
        for data in copy:
            buffer.write(data)
    if not buffer.tell():
        return pl.DataFrame(schema=schema)
    return pl.read_csv(buffer.getvalue(), has_header=False, schema=schema)
