"""An import's recompute covers only the partitions it touched, and leaves exactly what a full
recompute would: the touched months, their quarters and the month and quarter after them."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from domain.db import make_engine
from tests.workers.results import mark, marks, snapshot
from workers.rebuild import rebuild


@pytest.fixture
def demo(demo_database_url):
    engine = make_engine(demo_database_url)
    rebuild(engine)
    yield engine
    engine.dispose()


def _change(engine, period: str, metric_code: str | None = None) -> None:
    """New numbers for a month, as an import of corrected observations would bring."""
    condition = "period = :period"
    if metric_code:
        condition += " AND metric_id = (SELECT id FROM metric WHERE code = :metric)"
    with engine.begin() as connection:
        connection.execute(
            text(
                f"UPDATE observation SET value = value * 1.3 + 0.01, numerator = numerator * 0.5,"
                f" denominator = denominator + 1 WHERE {condition}"
            ),
            {"period": period, "metric": metric_code},
        )


@pytest.mark.parametrize("month", ["2026-05", "2026-06", "2025-12"])
def test_recomputing_one_changed_month_leaves_what_a_full_recompute_leaves(demo, month):
    before = snapshot(demo)
    _change(demo, month)

    summary = rebuild(demo, {"periods": [month]})
    incremental = snapshot(demo)
    rebuild(demo)

    assert incremental != before  # the change showed
    assert snapshot(demo) == incremental
    assert 0 < summary["gaps"] <= 4 * 10 * 8  # ≤ 4 periods × metrics × departments


def test_an_import_shaped_scope_rewrites_only_the_periods_it_can_move(demo):
    kept = {  # (table, period) whose rows a change of 2026-05 cannot move
        ("departmentvalue", "2026-02"), ("gap", "2026-02"), ("gap", "2026-Q1"), ("gapdriver", "2026-06"),
        ("topperformer", "2026-06"), ("departmentvalue", "2026-06"),
    }  # fmt: skip
    moved = {("gap", "2026-05"), ("gap", "2026-06"), ("gap", "2026-Q2"), ("gapdriver", "2026-Q2")}
    _change(demo, "2026-05", "defect_rate")
    scope = {"metric_codes": ["defect_rate"], "department_codes": None, "periods": ["2026-05"]}

    rebuild(demo, scope)
    incremental = snapshot(demo)
    rebuild(demo)
    assert snapshot(demo) == incremental

    for key in kept | moved:
        mark(demo, *key)
    rebuild(demo, scope)
    for key in kept:
        stamped, rewritten = marks(demo, *key)
        assert stamped and not rewritten, key  # the same rows: not rewritten
    for key in moved:  # defect_rate's rows rewritten, other metrics' kept
        stamped, rewritten = marks(demo, *key)
        assert stamped and rewritten, key
