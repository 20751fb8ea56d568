"""Top performers on tiny hand-computed frames: direction, how many, ties, quarter roll-ups."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.support.frames import metrics, observations
from workers.analytics.performers import PERFORMERS_SCHEMA, top_performers


def people(n: int, period: str = "2026-10") -> pl.DataFrame:
    """Employee i scores i on metric 1."""
    return observations(*[(1, i, period, float(i), None, None) for i in range(1, n + 1)])


def ranked(frame: pl.DataFrame, period: str = "2026-10") -> list[tuple[int, float]]:
    return frame.filter(pl.col("period") == period).select("employee_id", "value").rows()


@pytest.mark.parametrize(("direction", "best"), [("higher", [(10, 10.0)]), ("lower", [(1, 1.0)])])
def test_the_best_tenth_by_the_metrics_direction(direction, best):
    frame = top_performers(people(10), metrics((1, direction, "mean")))

    assert ranked(frame) == best
    assert frame.filter(pl.col("period") == "2026-10")["rank"].to_list() == [1]


@pytest.mark.parametrize(("n", "kept"), [(1, 1), (9, 1), (11, 2), (30, 3), (50, 5), (70, 7)])
def test_keeps_ceil_of_the_fraction_at_least_one_without_floating_point_surprises(n, kept):
    frame = top_performers(people(n), metrics((1, "higher", "mean")))

    assert frame.filter(pl.col("period") == "2026-10").height == kept
    assert frame.filter(pl.col("period") == "2026-10")["employee_id"].to_list() == list(
        range(n, n - kept, -1)
    )


def test_other_fractions_and_ties_go_to_the_lower_employee_id():
    rows = observations(
        *[(1, e, "2026-10", 5.0, None, None) for e in (9, 4, 7)], (1, 2, "2026-10", 1.0, None, None)
    )

    half = top_performers(rows, metrics((1, "higher", "mean")), fraction=0.5)
    none = top_performers(rows, metrics((1, "higher", "mean")), fraction=0.0)

    assert half.filter(pl.col("period") == "2026-10").select("employee_id", "rank").rows() == [(4, 1), (7, 2)]
    assert ranked(none) == [(4, 5.0)]
    with pytest.raises(ValueError, match="fraction"):
        top_performers(rows, metrics((1, "higher", "mean")), fraction=1.5)


@pytest.mark.parametrize(
    ("aggregation", "months", "expected"),
    [
        # employee 1: 2/100 and 12/200 → 14/300; employee 2: 9/300 → 9/300 (best: lower)
        ("ratio", [(0.02, 2, 100), (0.06, 12, 200)], [(2, 0.03), (1, 14 / 300)]),
        # a month without parts: the mean of the values, (0.02 + 0.06) / 2
        ("ratio", [(0.02, 2, 100), (0.06, None, None)], [(2, 0.03), (1, 0.04)]),
        ("sum", [(2.0, None, None), (4.0, None, None)], [(2, 0.03), (1, 6.0)]),
        ("mean", [(2.0, None, None), (4.0, None, None)], [(2, 0.03), (1, 3.0)]),
    ],
)
def test_a_quarter_rolls_each_employee_up_by_the_metrics_aggregation(aggregation, months, expected):
    rows = observations(
        (1, 1, "2026-07", *months[0]), (1, 1, "2026-08", *months[1]), (1, 2, "2026-09", 0.03, 9, 300)
    )

    frame = top_performers(rows, metrics((1, "lower", aggregation)), fraction=1.0)

    quarter = ranked(frame, "2026-Q3")
    assert [e for e, _ in quarter] == [e for e, _ in expected]
    assert [v for _, v in quarter] == pytest.approx([v for _, v in expected])
    assert ranked(frame, "2026-07") == [(1, months[0][0])]


def test_partitions_are_separate_and_output_is_sorted():
    rows = pl.concat(
        [
            people(3),
            people(3, "2026-09").with_columns(metric_id=pl.lit(2, pl.Int64)),
            people(2).with_columns(department_id=pl.lit(0, pl.Int64)),
        ]
    )

    frame = top_performers(rows, metrics((1, "higher", "mean"), (2, "lower", "mean")), fraction=0.5)

    assert frame.select("metric_id", "department_id", "period", "employee_id", "rank").rows() == [
        (1, 0, "2026-10", 2, 1),
        (1, 0, "2026-Q4", 2, 1),
        (1, 1, "2026-10", 3, 1),
        (1, 1, "2026-10", 2, 2),
        (1, 1, "2026-Q4", 3, 1),
        (1, 1, "2026-Q4", 2, 2),
        (2, 1, "2026-09", 1, 1),
        (2, 1, "2026-09", 2, 2),
        (2, 1, "2026-Q3", 1, 1),
        (2, 1, "2026-Q3", 2, 2),
    ]


def test_a_single_row_empty_input_and_no_nan():
    single = top_performers(observations((1, 7, "2026-10", 0.5, 1, 2)), metrics((1, "higher", "ratio")))
    expected = pl.DataFrame(
        [(1, 1, "2026-10", 7, 0.5, 1), (1, 1, "2026-Q4", 7, 0.5, 1)], schema=PERFORMERS_SCHEMA, orient="row"
    )
    assert_frame_equal(single, expected)

    assert_frame_equal(
        top_performers(observations(), metrics((1, "higher", "mean"))), pl.DataFrame(schema=PERFORMERS_SCHEMA)
    )

    nan_rows = observations((1, 1, "2026-10", float("nan"), None, None), (1, 2, "2026-10", 3.0, None, None))
    frame = top_performers(nan_rows, metrics((1, "higher", "mean")))
    assert ranked(frame) == [(2, 3.0)]
    assert not frame["value"].is_nan().any()
