"""Fast table I/O for the recompute: rows in through the raw driver, results out by the bulk path.

Going through SQLAlchemy rows costs about as much as the whole computation (a Python object
per value, twice); the drivers have cheaper paths: on PostgreSQL ``COPY (SELECT …) TO STDOUT``
parsed by Polars' CSV reader, on SQLite the cursor's tuples straight into a frame. Writes use
the import's bulk path (COPY / executemany of tuples), stamped with one ``computed_at``.
"""

from __future__ import annotations

import io

import polars as pl
from sqlalchemy import ColumnElement, Connection, Executable, delete

from domain.importing import bulk
from domain.models import utcnow


def _compiled(connection: Connection, statement: Executable) -> tuple[str, object]:
    """The statement as the driver sees it: SQL text and its parameters (IN lists expanded)."""
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    if compiled.positional:
        return str(compiled), tuple(compiled.params[name] for name in compiled.positiontup)
    return str(compiled), compiled.params


def read(connection: Connection, statement: Executable, schema: pl.Schema) -> pl.DataFrame:
    """Run a SELECT of ``schema``'s columns (in that order) into a frame of that schema.

    Only for numeric, date and non-empty text columns: CSV cannot tell an empty string from
    NULL, and the recompute's big reads (observations) have neither.
    """
    sql, params = _compiled(connection, statement)
    cursor = connection.connection.driver_connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            buffer = io.BytesIO()
            with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy:
                for block in copy:
                    buffer.write(block)
            if not buffer.tell():
                return pl.DataFrame(schema=schema)
            return pl.read_csv(buffer.getvalue(), has_header=False, schema=schema)
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


def replace(connection: Connection, model, condition: ColumnElement[bool], frame: pl.DataFrame) -> int:
    """Delete ``model``'s rows matching ``condition``, insert ``frame``'s; returns rows written."""
    connection.execute(delete(model).where(condition))
    return insert(connection, model, frame)
