"""The recompute's fast reads and bulk writes give what SQLAlchemy would, on both databases."""

from __future__ import annotations

import polars as pl
from sqlalchemy import select, text
from sqlmodel import col

from domain.db import session_scope
from domain.models import Department, Gap, Metric
from workers import tables
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
