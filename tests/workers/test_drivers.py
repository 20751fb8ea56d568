"""Drivers on tiny hand-computed frames: every bad-mass rule, each dimension, quarters."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.support.frames import metrics, observations
from workers.analytics.drivers import DRIVERS_SCHEMA, drivers, representation
from workers.analytics.periods import period_end

VETERAN = date(2020, 1, 1)


def employees(*rows) -> pl.DataFrame:
    """rows: (employee_id, hire_date, team)."""
    return pl.DataFrame(
        rows, schema={"employee_id": pl.Int64, "hire_date": pl.Date, "team": pl.String}, orient="row"
    )


def shares(frame: pl.DataFrame, period: str, dimension: str) -> dict[str, float]:
    rows = frame.filter((pl.col("period") == period) & (pl.col("dimension") == dimension))
    return dict(zip(rows["segment"], rows["share"], strict=True))


def people(frame: pl.DataFrame, period: str, dimension: str) -> dict[str, int]:
    rows = frame.filter((pl.col("period") == period) & (pl.col("dimension") == dimension))
    return dict(zip(rows["segment"], rows["people"], strict=True))


def no_nan(frame: pl.DataFrame) -> bool:
    return not frame.select(pl.col("share").is_nan().any() | pl.col("share").is_infinite().any()).item()


def test_three_new_hires_making_60_percent_of_defects_carry_60_percent_of_the_gap():
    new_defects, veteran_defects = [20, 20, 20], [4, 6, 5, 7, 6, 5, 7]  # 60 of 100
    rows = [(1, i + 1, "2026-10", d / 1000, d, 1000) for i, d in enumerate(new_defects + veteran_defects)]
    staff = [(i, date(2026, 8, 1) if i <= 3 else VETERAN, "一组") for i in range(1, 11)]

    frame = drivers(observations(*rows), employees(*staff), metrics((1, "lower", "ratio")))

    assert shares(frame, "2026-10", "tenure") == pytest.approx({"new_hire": 0.6, "experienced": 0.4})
    assert people(frame, "2026-10", "tenure") == {"new_hire": 3, "experienced": 7}
    assert shares(frame, "2026-10", "team") == pytest.approx({"一组": 1.0})
    top = shares(frame, "2026-10", "employee")
    assert top == pytest.approx({"1": 0.2, "2": 0.2, "3": 0.2, "7": 0.07, "10": 0.07})
    assert shares(frame, "2026-Q4", "tenure") == pytest.approx({"new_hire": 0.6, "experienced": 0.4})


def test_higher_is_better_ratio_counts_the_misses():
    # on-time rate: 90/100 and 170/200 → 10 and 30 late deliveries
    frame = drivers(
        observations((1, 1, "2026-10", 0.9, 90, 100), (1, 2, "2026-10", 0.85, 170, 200)),
        employees((1, VETERAN, "A"), (2, VETERAN, None)),
        metrics((1, "higher", "ratio")),
    )

    assert shares(frame, "2026-10", "team") == pytest.approx({"A": 0.25, "(no team)": 0.75})
    assert shares(frame, "2026-10", "employee") == pytest.approx({"2": 0.75, "1": 0.25})


def test_lower_is_better_sum_counts_the_values():
    frame = drivers(
        observations((1, 1, "2026-10", 1, None, None), (1, 2, "2026-10", 3, None, None)),
        employees((1, VETERAN, "A"), (2, VETERAN, "B")),
        metrics((1, "lower", "sum")),
    )

    assert shares(frame, "2026-10", "team") == pytest.approx({"A": 0.25, "B": 0.75})


@pytest.mark.parametrize(
    ("direction", "aggregation", "values", "expected"),
    [
        ("higher", "mean", (70, 80, 90), {"1": 1.0}),  # mean 80: only 70 is on the bad side
        ("lower", "mean", (20, 30, 40), {"3": 1.0}),  # mean 30: only 40 is on the bad side
        ("higher", "sum", (2, 4, 9), {"1": 0.75, "2": 0.25}),  # mean 5: 3 and 1 below
        ("lower", "ratio", (0.1, 0.3, 0.2), {"2": 1.0}),  # no parts: judged as a mean (0.2)
    ],
)
def test_means_and_the_rest_count_the_distance_on_the_bad_side_of_the_department_mean(
    direction, aggregation, values, expected
):
    rows = [(1, i + 1, "2026-10", v, None, None) for i, v in enumerate(values)]
    staff = [(1, VETERAN, "A"), (2, VETERAN, "B"), (3, VETERAN, "B")]

    frame = drivers(observations(*rows), employees(*staff), metrics((1, direction, aggregation)))

    assert shares(frame, "2026-10", "employee") == pytest.approx(expected)  # zero shares are left out
    assert sum(shares(frame, "2026-10", "team").values()) == pytest.approx(1.0)
    assert people(frame, "2026-10", "team") == {"A": 1, "B": 2}  # a zero-share segment still shows


def test_a_quarter_sums_each_employees_months_and_judges_tenure_at_its_end():
    hired = date(2026, 3, 1)  # new at 2026-07-31 (cut-off 02-01), not at 08-31 (03-04) or 09-30
    frame = drivers(
        observations(
            (1, 1, "2026-07", 0.03, 30, 1000),
            (1, 2, "2026-07", 0.01, 10, 1000),
            (1, 1, "2026-08", 0.01, 10, 1000),
            (1, 2, "2026-08", 0.01, 10, 1000),
            (1, 1, "2026-09", 0.0, 0, 1000),
            (1, 2, "2026-09", 0.02, 20, 1000),
        ),
        employees((1, hired, "A"), (2, VETERAN, "B")),
        metrics((1, "lower", "ratio")),
    )

    assert shares(frame, "2026-07", "tenure") == pytest.approx({"new_hire": 0.75, "experienced": 0.25})
    assert shares(frame, "2026-08", "tenure") == pytest.approx({"experienced": 1.0})
    assert shares(frame, "2026-Q3", "employee") == pytest.approx({"1": 0.5, "2": 0.5})
    assert shares(frame, "2026-Q3", "tenure") == pytest.approx({"experienced": 1.0})
    assert people(frame, "2026-Q3", "tenure") == {"experienced": 2}


def test_new_hire_means_less_than_180_days_before_the_period_end():
    end = date(2026, 10, 31)
    frame = drivers(
        observations((1, 1, "2026-10", 0.01, 1, 100), (1, 2, "2026-10", 0.03, 3, 100)),
        employees((1, date(2026, 5, 4), "A"), (2, date(2026, 5, 5), "A")),  # 180 and 179 days
        metrics((1, "lower", "ratio")),
    )

    assert (end - date(2026, 5, 4)).days == 180
    assert shares(frame, "2026-10", "tenure") == pytest.approx({"new_hire": 0.75, "experienced": 0.25})
    ends = pl.select(period_end(pl.lit("2026-Q1")), period_end(pl.lit("2024-02")).alias("m")).row(0)
    assert ends == (date(2026, 3, 31), date(2024, 2, 29))


def test_top_employees_keeps_the_largest_shares_ties_to_the_lower_id():
    rows = [(1, e, "2026-10", 0.05, 5, 100) for e in (30, 10, 3, 2)] + [(1, 4, "2026-10", 0.01, 1, 100)]
    staff = [(e, VETERAN, "A") for e in (2, 3, 4, 10, 30)]

    frame = drivers(observations(*rows), employees(*staff), metrics((1, "lower", "ratio")), top_employees=2)

    assert shares(frame, "2026-10", "employee") == pytest.approx({"2": 5 / 21, "3": 5 / 21})
    assert (
        drivers(observations(*rows), employees(*staff), metrics((1, "lower", "ratio")), top_employees=0)
        .filter(pl.col("dimension") == "employee")
        .is_empty()
    )


def test_a_partition_without_bad_mass_gives_no_rows():
    frame = drivers(
        observations((1, 1, "2026-10", 80, None, None), (1, 2, "2026-10", 80, None, None)),
        employees((1, VETERAN, "A"), (2, VETERAN, "A")),
        metrics((1, "higher", "mean")),
    )

    assert frame.is_empty() and frame.schema == DRIVERS_SCHEMA


def test_a_single_row_carries_everything_and_output_is_sorted():
    frame = drivers(
        observations((1, 7, "2026-10", 0.02, 2, 100)),
        employees((7, VETERAN, None)),
        metrics((1, "lower", "ratio")),
    )

    expected = pl.DataFrame(
        [
            (1, 1, period, dimension, segment, 1.0, 1, 1)
            for period in ("2026-10", "2026-Q4")
            for dimension, segment in (("employee", "7"), ("team", "(no team)"), ("tenure", "experienced"))
        ],
        schema=DRIVERS_SCHEMA,
        orient="row",
    )
    assert_frame_equal(frame, expected)


def test_empty_or_null_typed_input_gives_an_empty_frame_and_bad_values_no_nan():
    empty = drivers(observations(), employees(), metrics((1, "lower", "ratio")))
    assert_frame_equal(empty, pl.DataFrame(schema=DRIVERS_SCHEMA))

    null_typed = pl.DataFrame(
        {
            "metric_id": [1, 1, 1],
            "department_id": [1, 1, 1],
            "employee_id": [1, 2, 3],
            "period": ["2026-10"] * 3,
            "value": [10.0, float("nan"), 14.0],
            "numerator": [None, None, None],
            "denominator": [None, None, None],
        }
    )
    frame = drivers(null_typed, employees((1, VETERAN, "A")), metrics((1, "higher", "mean")))

    assert shares(frame, "2026-10", "employee") == pytest.approx({"1": 1.0})  # mean of 10 and 14
    assert people(frame, "2026-10", "team") == {"A": 1, "(no team)": 2}  # unknown employees
    assert no_nan(frame)


def test_each_segment_carries_its_share_of_the_people_and_its_over_representation():
    # 3 new hires of 10 make 60 of 100 defects: 30% of the people, 60% of the gap, twice their part
    new_defects, veteran_defects = [20, 20, 20], [4, 6, 5, 7, 6, 5, 7]
    rows = [(1, i + 1, "2026-10", d / 1000, d, 1000) for i, d in enumerate(new_defects + veteran_defects)]
    staff = [(i, date(2026, 8, 1) if i <= 3 else VETERAN, "一组") for i in range(1, 11)]

    frame = representation(drivers(observations(*rows), employees(*staff), metrics((1, "lower", "ratio"))))

    tenure = frame.filter((pl.col("period") == "2026-10") & (pl.col("dimension") == "tenure"))
    by_segment = {r["segment"]: r for r in tenure.iter_rows(named=True)}
    assert by_segment["new_hire"]["headcount"] == by_segment["experienced"]["headcount"] == 10
    assert by_segment["new_hire"]["people_share"] == pytest.approx(0.3)
    assert by_segment["new_hire"]["over_representation"] == pytest.approx(2.0)
    assert by_segment["experienced"]["over_representation"] == pytest.approx(0.4 / 0.7)
    top = frame.filter((pl.col("period") == "2026-10") & (pl.col("segment") == "1")).row(0, named=True)
    assert top["people_share"] == pytest.approx(0.1) and top["over_representation"] == pytest.approx(2.0)
