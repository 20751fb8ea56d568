"""The department-value rule: official when reported, otherwise derived from employees."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from workers.analytics.rollup import OBSERVATIONS_SCHEMA, SCHEMA, department_values

MEAN, SUM, RATIO, RATIO_PARTIAL, RATIO_NO_PARTS = 1, 2, 3, 4, 5
METRICS = pl.DataFrame(
    {
        "metric_id": [MEAN, SUM, RATIO, RATIO_PARTIAL, RATIO_NO_PARTS],
        "aggregation": ["mean", "sum", "ratio", "ratio", "ratio"],
    }
)


def observations(*rows: tuple) -> pl.DataFrame:
    """Rows of (metric, department, employee, period, value[, numerator, denominator])."""
    padded = [row + (None,) * (7 - len(row)) for row in rows]
    return pl.DataFrame(padded, schema=OBSERVATIONS_SCHEMA, orient="row")


def expected(*rows: tuple) -> pl.DataFrame:
    """Rows of (metric, department, period, value, numerator, denominator, source, contributors)."""
    return pl.DataFrame(list(rows), schema=SCHEMA, orient="row")


def test_the_official_value_wins_over_what_employees_would_give():
    frame = observations(
        (MEAN, 10, None, "2026-09", 0.80),
        (MEAN, 10, 1, "2026-09", 0.50),
        (MEAN, 10, 2, "2026-09", 0.70),
    )

    assert_frame_equal(
        department_values(frame, METRICS), expected((MEAN, 10, "2026-09", 0.80, None, None, "official", 2))
    )


def test_an_official_ratio_keeps_its_reported_parts():
    frame = observations(
        (RATIO, 10, None, "2026-09", 0.25, 5.0, 20.0),
        (RATIO, 10, 1, "2026-09", 0.5, 1.0, 2.0),
    )

    assert_frame_equal(
        department_values(frame, METRICS), expected((RATIO, 10, "2026-09", 0.25, 5.0, 20.0, "official", 1))
    )


def test_mean_and_sum_derive_from_every_employee_row():
    frame = observations(
        (MEAN, 10, 1, "2026-09", 2.0),
        (MEAN, 10, 2, "2026-09", 4.0),
        (MEAN, 10, 3, "2026-09", 9.0),
        (SUM, 10, 1, "2026-09", 2.0),
        (SUM, 10, 2, "2026-09", 4.0),
    )

    assert_frame_equal(
        department_values(frame, METRICS),
        expected(
            (MEAN, 10, "2026-09", 5.0, None, None, "derived", 3),
            (SUM, 10, "2026-09", 6.0, None, None, "derived", 2),
        ),
    )


def test_a_ratio_is_the_ratio_of_sums_not_the_mean_of_ratios():
    frame = observations(
        (RATIO, 10, 1, "2026-09", 0.5, 1.0, 2.0),
        (RATIO, 10, 2, "2026-09", 0.125, 1.0, 8.0),
    )

    assert_frame_equal(
        department_values(frame, METRICS), expected((RATIO, 10, "2026-09", 0.2, 2.0, 10.0, "derived", 2))
    )


def test_a_ratio_uses_only_the_rows_that_carry_both_parts():
    frame = observations(
        (RATIO_PARTIAL, 10, 1, "2026-09", 0.5, 1.0, 2.0),
        (RATIO_PARTIAL, 10, 2, "2026-09", 0.9, None, 10.0),
        (RATIO_PARTIAL, 10, 3, "2026-09", 0.1),
    )

    assert_frame_equal(
        department_values(frame, METRICS),
        expected((RATIO_PARTIAL, 10, "2026-09", 0.5, 1.0, 2.0, "derived", 1)),
    )


def test_a_ratio_without_any_parts_falls_back_to_the_mean_of_values():
    frame = observations(
        (RATIO_NO_PARTS, 10, 1, "2026-09", 0.2),
        (RATIO_NO_PARTS, 10, 2, "2026-09", 0.4),
    )

    assert_frame_equal(
        department_values(frame, METRICS),
        expected((RATIO_NO_PARTS, 10, "2026-09", 0.3, None, None, "derived", 2)),
    )


def test_partitions_are_kept_apart_and_sorted():
    frame = observations(
        (SUM, 20, 5, "2026-09", 1.0),
        (SUM, 10, 1, "2026-10", 3.0),
        (SUM, 10, 1, "2026-09", 2.0),
        (SUM, 10, None, "2026-08", 7.0),
        (MEAN, 20, None, "2026-09", 4.0),
    )

    assert_frame_equal(
        department_values(frame, METRICS),
        expected(
            (MEAN, 20, "2026-09", 4.0, None, None, "official", 0),
            (SUM, 10, "2026-08", 7.0, None, None, "official", 0),
            (SUM, 10, "2026-09", 2.0, None, None, "derived", 1),
            (SUM, 10, "2026-10", 3.0, None, None, "derived", 1),
            (SUM, 20, "2026-09", 1.0, None, None, "derived", 1),
        ),
    )


def test_no_observations_give_an_empty_frame_of_the_output_schema():
    result = department_values(observations(), METRICS)

    assert result.is_empty()
    assert result.schema == SCHEMA


def test_all_null_columns_typed_null_by_a_driver_are_accepted():
    frame = observations((MEAN, 10, 1, "2026-09", 1.0)).with_columns(
        pl.lit(None).alias("numerator"), pl.lit(None).alias("denominator")
    )

    assert department_values(frame, METRICS).schema == SCHEMA


def test_a_value_that_would_not_be_finite_gives_no_row_instead_of_nan():
    frame = observations(
        (RATIO, 10, 1, "2026-09", 0.0, 0.0, 0.0),  # Σdenominator == 0 (the database forbids it)
        (RATIO, 20, 1, "2026-09", 0.0, 3.0, 0.0),
        (MEAN, 10, 1, "2026-09", float("nan")),
        (SUM, 10, 1, "2026-09", 1.0),
    )

    result = department_values(frame, METRICS)

    assert_frame_equal(result, expected((SUM, 10, "2026-09", 1.0, None, None, "derived", 1)))
    assert result["value"].is_finite().all()


def test_an_employee_row_of_a_metric_without_known_aggregation_is_refused():
    frame = observations((99, 10, 1, "2026-09", 1.0), (MEAN, 10, 1, "2026-09", 1.0))

    with pytest.raises(ValueError, match=r"\[99\]"):
        department_values(frame, METRICS)


def test_an_official_row_needs_no_aggregation():
    frame = observations((99, 10, None, "2026-09", 1.0))

    assert_frame_equal(
        department_values(frame, METRICS), expected((99, 10, "2026-09", 1.0, None, None, "official", 0))
    )
