"""The database's bulk paths: COPY on PostgreSQL, executemany batches on SQLite.

Rows go from Polars to the driver in batches, so a million-row import never holds a million
Python objects at once.
"""

from __future__ import annotations

import io
import uuid

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
        staging = f"_salon_update_{uuid.uuid4().hex[:8]}"
        listed = ", ".join(f'"{name}"' for name in frame.columns)
        cursor = connection.connection.driver_connection.cursor()
        cursor.execute(
            f'CREATE TEMP TABLE {staging} ON COMMIT DROP AS SELECT {listed} FROM "{table.name}" WITH NO DATA'
        )
        _copy(connection, staging, frame)
        assignments = ", ".join(f'"{name}" = s."{name}"' for name in values)
        cursor.execute(f'UPDATE "{table.name}" t SET {assignments} FROM {staging} s WHERE t.id = s.id')
        cursor.execute(f"DROP TABLE {staging}")
        return
    assignments = ", ".join(f'"{name}" = ?' for name in values)
    cursor = connection.connection.driver_connection.cursor()
    ordered = frame.select(*values, "id")
    for batch in _batches(ordered):
        cursor.executemany(f'UPDATE "{table.name}" SET {assignments} WHERE id = ?', _sqlite_values(batch))
