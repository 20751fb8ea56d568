"""The recompute's fast reads and bulk writes give what SQLAlchemy would, on both databases."""

from __future__ import annotations

import sqlite3
import time

import polars as pl
import psycopg
import pytest
from sqlalchemy import select, text
from sqlmodel import col

from domain.db import make_engine, session_scope
from domain.importing import bulk
from domain.models import Department, Gap, Metric, TopPerformer
from tests.support import databases, services
from workers import tables
from workers.analytics.performers import PERFORMERS_SCHEMA
from workers.scoping import within

SCHEMA = pl.Schema({"id": pl.Int64, "code": pl.String})


def _org(engine) -> dict[str, int]:
    with session_scope(engine) as session:
        departments = [Department(code=code, name=f"部门 {code}") for code in ("A", 'B, "quoted"', "C")]
        session.add_all([*departments, Metric(code="m", name="指标")])
        session.flush()
        return {d.code: d.id for d in departments}


def test_a_read_with_a_list_parameter_returns_the_rows_and_types(engine):
    ids = _org(engine)
    statement = select(col(Department.id), col(Department.code)).where(
        col(Department.code).in_(['B, "quoted"', "C"])
    )

    with engine.connect() as connection:
        frame = tables.read(connection, statement.order_by(col(Department.id)), SCHEMA)

    assert frame.schema == SCHEMA
    assert frame.rows() == [(ids['B, "quoted"'], 'B, "quoted"'), (ids["C"], "C")]


def test_a_read_of_nothing_is_an_empty_frame_of_the_schema(engine):
    with engine.connect() as connection:
        frame = tables.read(connection, select(col(Department.id), col(Department.code)), SCHEMA)

    assert frame.is_empty() and frame.schema == SCHEMA


def test_replace_deletes_the_condition_and_inserts_the_frame_stamped(engine):
    ids = _org(engine)
    with engine.connect() as connection:
        metric = connection.scalar(text("SELECT id FROM metric"))
    row = dict(metric_id=metric, period="2026-01", actual=1.5, previous=None, target=2.0, change=None,
               attainment=0.75, below_target=True, worsening=False, severity=25.0, contributors=3)  # fmt: skip
    frame = pl.DataFrame([row | {"department_id": ids["A"]}, row | {"department_id": ids["C"]}])

    with engine.begin() as connection:
        assert tables.replace(connection, Gap, within(Gap, department_ids=[ids["A"]]), frame) == 2
    with engine.begin() as connection:  # again, for A only: C's row stays, A's is replaced
        tables.replace(connection, Gap, within(Gap, department_ids=[ids["A"]]), frame.head(1))

    with session_scope(engine) as session:
        gaps = session.exec(select(Gap).order_by(col(Gap.department_id))).scalars().all()
    assert [(g.department_id, g.actual, g.previous, g.below_target) for g in gaps] == [
        (ids["A"], 1.5, None, True), (ids["C"], 1.5, None, True),
    ]  # fmt: skip
    assert all(g.computed_at.tzinfo is not None for g in gaps)


def _gap_frame(engine, departments: list[int]) -> pl.DataFrame:
    with engine.connect() as connection:
        metric = connection.scalar(text("SELECT id FROM metric"))
    row = dict(metric_id=metric, period="2026-01", actual=1.5, previous=None, target=2.0, change=None,
               attainment=0.75, below_target=True, worsening=False, severity=25.0, contributors=3)  # fmt: skip
    return pl.DataFrame([row | {"department_id": department} for department in departments])


def _gap_departments(engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.scalars(select(col(Gap.department_id)).order_by(col(Gap.department_id))))


def test_a_writer_replaces_in_order_and_an_always_true_condition_empties_the_table(engine):
    ids = _org(engine)
    with engine.begin() as connection:
        tables.replace(connection, Gap, within(Gap), _gap_frame(engine, [ids["A"], ids["C"]]))

    with engine.begin() as connection, tables.Writer(connection) as writer:
        # everything, then A again: the second replace must see the first one's rows
        assert writer.replace(Gap, within(Gap), _gap_frame(engine, [ids["A"], ids['B, "quoted"']])) == 2
        writer.replace(Gap, within(Gap, department_ids=[ids["A"]]), _gap_frame(engine, [ids["A"]]))

    assert _gap_departments(engine) == sorted([ids["A"], ids['B, "quoted"']])


def test_a_failed_write_raises_when_the_block_ends_and_nothing_is_committed(engine):
    ids = _org(engine)
    with engine.begin() as connection:
        tables.replace(connection, Gap, within(Gap), _gap_frame(engine, [ids["C"]]))

    with pytest.raises((sqlite3.IntegrityError, psycopg.IntegrityError)):  # the bulk path's driver
        with engine.begin() as connection, tables.Writer(connection) as writer:
            writer.replace(Gap, within(Gap), _gap_frame(engine, [ids["A"], ids["A"]]))  # the same key twice

    assert _gap_departments(engine) == [ids["C"]]


def test_an_error_in_the_block_waits_for_the_queued_writes_before_the_rollback(engine, monkeypatch):
    ids = _org(engine)
    finished: list[str] = []
    replace = tables.replace

    def slow_replace(*args):
        time.sleep(0.3)
        written = replace(*args)
        finished.append("written")
        return written

    monkeypatch.setattr(tables, "replace", slow_replace)
    with pytest.raises(RuntimeError, match="computing failed"):
        with engine.begin() as connection, tables.Writer(connection) as writer:
            writer.replace(Gap, within(Gap), _gap_frame(engine, [ids["A"]]))
            raise RuntimeError("computing failed")

    assert finished == ["written"]  # the writer was done with the connection before it rolled back
    assert _gap_departments(engine) == []


def _performers(engine) -> dict[tuple, tuple]:
    """(department, rank) → (employee, value, the row's version: PostgreSQL's xmin, else None)."""
    version = "xmin::text" if engine.dialect.name == "postgresql" else "NULL"
    with engine.connect() as connection:
        rows = connection.execute(
            text(f"SELECT department_id, rank, employee_id, value, {version} FROM topperformer")
        )
        return {(d, r): (e, v, x) for d, r, e, v, x in rows}


def test_sync_leaves_what_replace_would_and_rewrites_only_the_rows_that_change(engine):
    ids = _org(engine)
    a, c = ids["A"], ids["C"]
    with engine.connect() as connection:
        metric = connection.scalar(text("SELECT id FROM metric"))

    def rows(*values) -> pl.DataFrame:
        return pl.DataFrame(
            [(metric, d, "2026-01", e, v, r) for d, r, e, v in values], schema=PERFORMERS_SCHEMA, orient="row"
        )

    with engine.begin() as connection:
        tables.insert(
            connection, TopPerformer, rows((a, 1, 10, 0.3), (a, 2, 11, 0.2), (a, 3, 12, 0.1), (c, 1, 20, 0.5))
        )
    before = _performers(engine)

    with engine.begin() as connection, tables.Writer(connection) as writer:
        # A: rank 1 the same but for rounding, rank 2 another employee, rank 3 gone, rank 4 new
        held = writer.sync(
            TopPerformer,
            within(TopPerformer, department_ids=[a]),
            rows((a, 1, 10, 0.1 + 0.2), (a, 2, 13, 0.2), (a, 4, 14, 0.05)),
        )

    after = _performers(engine)
    assert held == 3
    assert {key: (e, round(v, 12)) for key, (e, v, _) in after.items()} == {
        (a, 1): (10, 0.3), (a, 2): (13, 0.2), (a, 4): (14, 0.05), (c, 1): (20, 0.5),
    }  # fmt: skip
    if engine.dialect.name == "postgresql":  # unchanged rows keep the transaction that wrote them
        assert after[(a, 1)][2] == before[(a, 1)][2] and after[(c, 1)][2] == before[(c, 1)][2]
        assert after[(a, 2)][2] != before[(a, 2)][2]


def test_sync_compares_with_what_its_own_transaction_wrote_before(engine):
    ids = _org(engine)
    with engine.connect() as connection:
        metric = connection.scalar(text("SELECT id FROM metric"))
    frame = pl.DataFrame([(metric, ids["A"], "2026-01", 10, 0.3, 1)], schema=PERFORMERS_SCHEMA, orient="row")

    with engine.begin() as connection, tables.Writer(connection) as writer:
        writer.replace(TopPerformer, within(TopPerformer), frame)
        writer.sync(TopPerformer, within(TopPerformer), frame)  # read elsewhere, the row would go in twice

    assert {key: row[:2] for key, row in _performers(engine).items()} == {(ids["A"], 1): (10, 0.3)}


def test_bulk_delete_removes_the_rows_of_the_keys_given(engine):
    ids = _org(engine)
    with engine.begin() as connection:
        tables.insert(connection, Gap, _gap_frame(engine, [ids["A"], ids['B, "quoted"'], ids["C"]]))
        metric = connection.scalar(text("SELECT id FROM metric"))
        keys = pl.DataFrame(
            {"metric_id": [metric, metric], "department_id": [ids["A"], ids["C"]], "period": ["2026-01"] * 2}
        )
        bulk.delete(connection, Gap.__table__, keys)
        bulk.delete(connection, Gap.__table__, keys.clear())

    assert _gap_departments(engine) == [ids['B, "quoted"']]


@pytest.mark.postgres
def test_bulk_read_keeps_null_apart_from_empty_text_and_floats_exact():
    services.require("postgresql")
    schema = pl.Schema({"a": pl.String, "b": pl.String, "c": pl.Float64, "d": pl.Int64})
    with databases.postgres_database() as url:
        engine = make_engine(url)
        with engine.connect() as connection:
            frame = bulk.read(
                connection,
                "SELECT '' AS a, NULL AS b, 0.1::float8 + 0.2::float8 AS c, NULL::bigint AS d "
                "UNION ALL SELECT 'x,\"y''', 'z', 1e-300, 7",
                schema,
            )
            empty = bulk.read(connection, "SELECT 'a', 'b', 1.0::float8, 1 WHERE false", schema)
        engine.dispose()

    assert frame.schema == schema and empty.schema == schema and empty.is_empty()
    assert frame.rows() == [("", None, 0.1 + 0.2, None), ("x,\"y'", "z", 1e-300, 7)]
