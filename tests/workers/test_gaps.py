"""Gaps on tiny hand-computed frames: every field, both directions, every aggregation."""

from __future__ import annotations

import math

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.support.frames import metrics
from workers.analytics.gaps import GAPS_SCHEMA, gaps, with_quarters
from workers.analytics.periods import previous_of, quarter_of


def values(*rows) -> pl.DataFrame:
    """rows: (metric_id, period, value, numerator, denominator, contributors), department 1."""
    return pl.DataFrame(
        [(m, 1, p, v, n, d, c) for m, p, v, n, d, c in rows],
        schema=["metric_id", "department_id", "period", "value", "numerator", "denominator", "contributors"],
        orient="row",
    ).cast({"value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64})


def targets(*rows) -> pl.DataFrame:
    return pl.DataFrame(
        [(m, 1, p, t) for m, p, t in rows],
        schema=["metric_id", "department_id", "period", "target"],
        orient="row",
    ).cast({"target": pl.Float64})


NO_TARGETS = pl.DataFrame(
    schema={"metric_id": pl.Int64, "department_id": pl.Int64, "period": pl.String, "target": pl.Float64}
)


def one(frame: pl.DataFrame, period: str, metric_id: int = 1) -> dict:
    return frame.filter((pl.col("period") == period) & (pl.col("metric_id") == metric_id)).row(0, named=True)


def test_periods_step_back_at_their_own_grain():
    periods = pl.Series(["2026-01", "2026-10", "2026-Q1", "2026-Q3"])
    frame = pl.DataFrame({"p": periods}).select(previous=previous_of(pl.col("p")))
    assert frame["previous"].to_list() == ["2025-12", "2026-09", "2025-Q4", "2026-Q2"]
    assert pl.select(quarter_of(pl.lit("2026-08"))).item() == "2026-Q3"


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        ("ratio", (2 + 3 + 7) / (100 + 100 + 200)),
        ("sum", 0.02 + 0.03 + 0.035),
        ("mean", (0.02 + 0.03 + 0.035) / 3),
    ],
)
def test_quarters_roll_up_by_the_metrics_aggregation(aggregation, expected):
    months = values(
        (1, "2026-07", 0.02, 2, 100, 5), (1, "2026-08", 0.03, 3, 100, 6), (1, "2026-09", 0.035, 7, 200, 4)
    )

    quarter = one(with_quarters(months, metrics((1, "lower", aggregation))), "2026-Q3")

    assert quarter["value"] == pytest.approx(expected)
    assert quarter["contributors"] == 6


def test_a_ratio_known_only_as_values_rolls_up_as_their_mean():
    months = values((1, "2026-07", 0.02, None, None, 0), (1, "2026-08", 0.04, None, None, 0))

    quarter = one(with_quarters(months, metrics((1, "lower", "ratio"))), "2026-Q3")

    assert quarter["value"] == pytest.approx(0.03) and quarter["denominator"] is None


def test_higher_is_better_below_target_and_falling():
    frame = gaps(
        values((1, "2026-08", 400, None, None, 20), (1, "2026-09", 360, None, None, 20)),
        metrics((1, "higher", "mean")),
        targets((1, "2026-09", 450)),
    )

    gap = one(frame, "2026-09")

    assert (gap["actual"], gap["previous"], gap["target"]) == (360, 400, 450)
    assert gap["change"] == pytest.approx(-0.1)
    assert gap["attainment"] == pytest.approx(0.8)
    assert gap["below_target"] and gap["worsening"]
    weight = 1 + math.log(21) / math.log(201)
    assert gap["severity"] == pytest.approx(100 * (0.2 + 0.1) * weight, abs=1e-3)


def test_lower_is_better_is_judged_the_other_way():
    frame = gaps(
        values((1, "2026-08", 0.03, 3, 100, 9), (1, "2026-09", 0.02, 2, 100, 9)),
        metrics((1, "lower", "ratio")),
        targets((1, "2026-09", 0.025)),
    )

    gap = one(frame, "2026-09")

    assert gap["change"] == pytest.approx(-1 / 3)
    assert gap["attainment"] == pytest.approx(1.25)  # target / actual: better than target
    assert not gap["below_target"] and not gap["worsening"]
    assert gap["severity"] == 0


def test_missing_previous_or_target_is_null_never_nan():
    frame = gaps(
        values((1, "2026-09", 0.0, 0, 50, 3)), metrics((1, "lower", "ratio")), targets((1, "2026-09", 0.02))
    )

    gap = one(frame, "2026-09")

    assert gap["previous"] is None and gap["change"] is None
    assert gap["attainment"] is None  # target / 0: no number, not infinity
    assert not gap["below_target"] and not gap["worsening"]
    floats = frame.select(pl.col(pl.Float64))
    assert not floats.select(pl.any_horizontal(pl.all().is_nan() | pl.all().is_infinite()).any()).item()


def test_a_zero_previous_gives_no_change():
    frame = gaps(
        values((1, "2026-08", 0.0, None, None, 1), (1, "2026-09", 5.0, None, None, 1)),
        metrics((1, "higher", "sum")),
        NO_TARGETS,
    )

    assert one(frame, "2026-09")["change"] is None


def test_quarter_targets_come_from_the_months_unless_given():
    months = values(
        (1, "2026-07", 10, None, None, 1),
        (1, "2026-08", 10, None, None, 1),
        (1, "2026-09", 10, None, None, 1),
    )
    monthly_targets = targets((1, "2026-07", 12), (1, "2026-08", 12), (1, "2026-09", 12))

    summed = one(gaps(months, metrics((1, "higher", "sum")), monthly_targets), "2026-Q3")
    given = one(
        gaps(
            months, metrics((1, "higher", "sum")), pl.concat([monthly_targets, targets((1, "2026-Q3", 30))])
        ),
        "2026-Q3",
    )

    assert (summed["actual"], summed["target"]) == (30, 36)
    assert given["target"] == 30 and not given["below_target"]


def test_gaps_come_most_severe_first_and_empty_input_gives_an_empty_frame():
    frame = gaps(
        values((1, "2026-09", 50, None, None, 5), (2, "2026-09", 10, None, None, 5)),
        metrics((1, "higher", "mean"), (2, "higher", "mean")),
        targets((1, "2026-09", 100), (2, "2026-09", 11)),
    )
    assert frame.filter(pl.col("period") == "2026-09")["metric_id"].to_list() == [1, 2]
    assert frame["severity"].is_sorted(descending=True)

    empty = values((1, "2026-01", 1, None, None, 1)).clear()
    assert_frame_equal(
        gaps(empty, metrics((1, "higher", "mean")), NO_TARGETS), pl.DataFrame(schema=GAPS_SCHEMA)
    )


def test_exactly_on_target_is_not_below_it_whatever_the_float_rounding():
    months = values(
        (1, "2026-07", 0.1, None, None, 1),
        (1, "2026-08", 0.2, None, None, 1),
        (1, "2026-09", 0.3, None, None, 1),
    )

    quarter = one(gaps(months, metrics((1, "higher", "sum")), targets((1, "2026-Q3", 0.6))), "2026-Q3")

    assert quarter["attainment"] == pytest.approx(1.0)
    assert not quarter["below_target"]
