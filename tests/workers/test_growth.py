"""Growth needs on tiny hand-computed frames: open wishes, headcount, related metric, quarters."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from workers.analytics.growth import ENDS_SCHEMA, GROWTH_NEEDS_SCHEMA, growth_needs, open_wishes

VETERAN = date(2020, 1, 1)


def growth(*rows) -> pl.DataFrame:
    """rows: (employee_id, date, kind, skill)."""
    return pl.DataFrame(
        rows,
        schema={"employee_id": pl.Int64, "date": pl.Date, "kind": pl.String, "skill": pl.String},
        orient="row",
    )


def employees(*rows) -> pl.DataFrame:
    """rows: (employee_id, department_id, hire_date)."""
    return pl.DataFrame(
        rows,
        schema={"employee_id": pl.Int64, "department_id": pl.Int64, "hire_date": pl.Date},
        orient="row",
    )


def metrics(*rows) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"metric_id": pl.Int64, "skill": pl.String}, orient="row")


def values(*rows) -> pl.DataFrame:
    """rows: (metric_id, department_id, period, value)."""
    return pl.DataFrame(
        rows,
        schema={"metric_id": pl.Int64, "department_id": pl.Int64, "period": pl.String, "value": pl.Float64},
        orient="row",
    )


TEN = employees(*[(i, 1, VETERAN) for i in range(1, 11)])
NO_METRICS, NO_VALUES = metrics(), values()


def need(frame: pl.DataFrame, period: str, skill: str = "code_optimization", department: int = 1) -> dict:
    rows = frame.filter(
        (pl.col("period") == period) & (pl.col("skill") == skill) & (pl.col("department_id") == department)
    )
    return rows.row(0, named=True) if rows.height else {}


def test_a_wish_is_open_until_a_later_training_on_the_same_skill():
    records = growth(
        (1, date(2026, 1, 10), "growth_wish", "code_optimization"),
        (1, date(2026, 2, 15), "training", "code_optimization"),  # answers 1's wish from February
        (2, date(2026, 1, 10), "growth_wish", "code_optimization"),
        (2, date(2026, 1, 5), "training", "code_optimization"),  # before the wish: answers nothing
        (3, date(2026, 1, 10), "growth_wish", "code_optimization"),
        (3, date(2026, 1, 20), "training", "system_design"),  # another skill
        (4, date(2026, 2, 10), "growth_wish", "code_optimization"),  # not yet wished in January
        (5, date(2026, 1, 10), "growth_wish", "code_optimization"),
        (5, date(2026, 1, 10), "training", "code_optimization"),  # same day: not after the wish
    )

    frame = growth_needs(records, TEN, NO_METRICS, NO_VALUES, ["2026-01", "2026-02"])

    assert (need(frame, "2026-01")["wishers"], need(frame, "2026-01")["headcount"]) == (4, 10)
    assert need(frame, "2026-01")["share"] == pytest.approx(0.4)
    assert need(frame, "2026-02")["wishers"] == 4  # 1 trained, 4 joined


def test_a_new_wish_after_training_opens_again_and_only_real_wishes_count():
    records = growth(
        (1, date(2026, 1, 10), "growth_wish", "safety"),
        (1, date(2026, 2, 1), "training", "safety"),
        (1, date(2026, 3, 1), "growth_wish", "safety"),
        (2, date(2026, 1, 10), "growth_wish", ""),  # names no skill
        (3, date(2026, 1, 10), "skill_assessment", "safety"),
    )

    frame = growth_needs(records, TEN, NO_METRICS, NO_VALUES, ["2026-01", "2026-02", "2026-03"])

    assert frame.select("period", "skill", "wishers").rows() == [
        ("2026-01", "safety", 1),
        ("2026-03", "safety", 1),
    ]


def test_headcount_is_the_departments_staff_hired_by_the_period_end():
    staff = employees((1, 1, VETERAN), (2, 1, date(2026, 3, 31)), (3, 1, date(2026, 4, 1)), (4, 2, VETERAN))
    records = growth((1, date(2026, 1, 10), "growth_wish", "x"), (4, date(2026, 1, 10), "growth_wish", "x"))

    frame = growth_needs(records, staff, NO_METRICS, NO_VALUES, ["2026-02", "2026-Q1", "2026-04"])

    assert [need(frame, p, "x")["headcount"] for p in ("2026-02", "2026-Q1", "2026-04")] == [1, 2, 3]
    assert need(frame, "2026-Q1", "x")["share"] == pytest.approx(0.5)
    assert need(frame, "2026-Q1", "x", department=2)["share"] == 1.0


def test_the_related_metric_is_the_lowest_id_carrying_the_skill_with_its_value_in_the_period():
    records = growth((1, date(2026, 1, 10), "growth_wish", "x"), (2, date(2026, 1, 10), "growth_wish", "y"))
    frame = growth_needs(
        records,
        TEN,
        metrics((7, "x"), (3, "x"), (4, None)),
        values(
            (3, 1, "2026-01", 78.0), (3, 1, "2026-Q1", 77.0), (7, 1, "2026-02", 1.0), (3, 2, "2026-02", 5.0)
        ),
        ["2026-01", "2026-02", "2026-Q1"],
    )

    assert [need(frame, p, "x")["metric_average"] for p in ("2026-01", "2026-02", "2026-Q1")] == [
        78.0,
        None,
        77.0,
    ]
    assert need(frame, "2026-01", "x")["metric_id"] == 3
    assert (
        need(frame, "2026-01", "y")["metric_id"] is None
        and need(frame, "2026-01", "y")["metric_average"] is None
    )


def test_rows_are_sorted_by_department_period_then_largest_share():
    records = growth(
        (1, date(2026, 1, 10), "growth_wish", "b"),
        (2, date(2026, 1, 10), "growth_wish", "b"),
        (3, date(2026, 1, 10), "growth_wish", "a"),
        (4, date(2026, 1, 10), "growth_wish", "c"),
    )

    frame = growth_needs(records, TEN, NO_METRICS, NO_VALUES, ["2026-02", "2026-01"])

    assert frame.select("period", "skill").rows() == [
        ("2026-01", "b"),
        ("2026-01", "a"),
        ("2026-01", "c"),
        ("2026-02", "b"),
        ("2026-02", "a"),
        ("2026-02", "c"),
    ]


def test_a_single_wish():
    frame = growth_needs(
        growth((1, date(2026, 10, 31), "growth_wish", "x")),
        employees((1, 1, VETERAN)),
        metrics((1, "x")),
        values((1, 1, "2026-10", 0.5)),
        ["2026-10"],
    )

    expected = pl.DataFrame(
        [(1, "2026-10", "x", 1.0, 1, 1, 1, 0.5)], schema=GROWTH_NEEDS_SCHEMA, orient="row"
    )
    assert_frame_equal(frame, expected)


def test_empty_inputs_give_an_empty_frame_with_the_schema():
    empty = pl.DataFrame(schema=GROWTH_NEEDS_SCHEMA)
    assert_frame_equal(growth_needs(growth(), TEN, NO_METRICS, NO_VALUES, ["2026-01"]), empty)
    records = growth((1, date(2026, 1, 10), "growth_wish", "x"))
    assert_frame_equal(growth_needs(records, TEN, NO_METRICS, NO_VALUES, []), empty)
    null_typed = pl.DataFrame({"metric_id": [1], "skill": [None]})
    frame = growth_needs(records, TEN, null_typed, NO_VALUES, ["2026-01"])
    assert frame["share"].to_list() == [0.1] and frame["metric_id"].to_list() == [None]


def test_open_wishes_is_the_same_rule_for_the_planner():
    """A training after a wish answers it, one on the same day does not, a later wish reopens it,
    and nothing after the period's end counts — per period, as the planner reads them."""
    records = growth(
        (1, date(2026, 1, 5), "growth_wish", " sql "),
        (1, date(2026, 2, 1), "training", "sql"),  # answers the January wish
        (1, date(2026, 3, 1), "growth_wish", "sql"),  # and March opens it again
        (2, date(2026, 1, 5), "growth_wish", "excel"),
        (2, date(2026, 1, 5), "training", "excel"),  # the same day: still open
        (3, date(2026, 4, 2), "growth_wish", "sql"),  # after both ends
        (4, date(2026, 1, 9), "growth_wish", ""),  # no skill: not a wish
    )
    ends = pl.DataFrame(
        {
            "period": ["2026-01", "2026-02", "2026-Q1"],
            "end": [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)],
        },
        schema=ENDS_SCHEMA,
    )

    expected = pl.DataFrame(
        [
            (1, "sql", "2026-01"),
            (2, "excel", "2026-01"),
            (2, "excel", "2026-02"),
            (1, "sql", "2026-Q1"),
            (2, "excel", "2026-Q1"),
        ],
        schema={"employee_id": pl.Int64, "skill": pl.String, "period": pl.String},
        orient="row",
    )
    assert_frame_equal(open_wishes(records, ends), expected)
