"""Feedback themes on tiny hand-computed frames: counts per row, months and quarters, order."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from workers.analytics.themes import THEMES_SCHEMA, feedback_themes

FEEDBACK = {
    "department_id": pl.Int64,
    "metric_id": pl.Int64,
    "period": pl.String,
    "themes": pl.List(pl.String),
}


def feedback(*rows) -> pl.DataFrame:
    """rows: (department_id, metric_id, period, themes)."""
    return pl.DataFrame(rows, schema=FEEDBACK, orient="row")


def expected(*rows) -> pl.DataFrame:
    """rows: (metric_id, department_id, period, theme, count)."""
    return pl.DataFrame(rows, schema=THEMES_SCHEMA, orient="row")


def test_counts_the_rows_carrying_each_theme_in_months_and_their_quarter():
    frame = feedback_themes(
        feedback(
            (1, 5, "2026-08", ["onboarding", "training"]),
            (1, 5, "2026-08", ["onboarding", "onboarding"]),  # one row carrying it, counted once
            (1, 5, "2026-09", [" training ", ""]),  # trimmed; the empty tag is no theme
            (1, None, "2026-09", ["workload"]),  # tied to no metric: still the department's
        )
    )

    assert_frame_equal(
        frame,
        expected(
            (5, 1, "2026-08", "onboarding", 2),
            (5, 1, "2026-08", "training", 1),
            (5, 1, "2026-09", "training", 1),
            (5, 1, "2026-Q3", "onboarding", 2),
            (5, 1, "2026-Q3", "training", 2),
            (None, 1, "2026-09", "workload", 1),
            (None, 1, "2026-Q3", "workload", 1),
        ),
    )


def test_sorted_by_department_metric_period_then_most_frequent():
    frame = feedback_themes(
        feedback(
            (2, 1, "2026-01", ["b"]),
            (1, 3, "2026-01", ["z", "a"]),
            (1, 3, "2026-01", ["z"]),
            (1, None, "2026-01", ["a"]),
            (1, 2, "2026-01", ["a"]),
        )
    ).filter(pl.col("period") == "2026-01")

    assert frame.select("department_id", "metric_id", "theme").rows() == [
        (1, 2, "a"),
        (1, 3, "z"),  # twice, before the single "a"
        (1, 3, "a"),
        (1, None, "a"),
        (2, 1, "b"),
    ]


def test_feedback_dated_with_a_quarter_counts_in_that_quarter_only():
    frame = feedback_themes(feedback((1, 5, "2026-Q3", ["process"]), (1, 5, "2026-07", ["process"])))

    assert frame.rows() == [(5, 1, "2026-07", "process", 1), (5, 1, "2026-Q3", "process", 2)]


def test_a_single_row_and_rows_without_themes():
    assert feedback_themes(feedback((3, 9, "2025-12", ["tools"]))).rows() == [
        (9, 3, "2025-12", "tools", 1),
        (9, 3, "2025-Q4", "tools", 1),
    ]
    assert feedback_themes(feedback((3, 9, "2025-12", []), (3, 9, "2025-12", None))).is_empty()


def test_empty_or_null_typed_input_gives_an_empty_frame_with_the_schema():
    assert_frame_equal(feedback_themes(feedback()), pl.DataFrame(schema=THEMES_SCHEMA))

    null_typed = pl.DataFrame(
        {"department_id": [1], "metric_id": [None], "period": ["2026-01"], "themes": [["x"]]}
    )
    assert null_typed.schema["metric_id"] == pl.Null
    assert_frame_equal(
        feedback_themes(null_typed), expected((None, 1, "2026-01", "x", 1), (None, 1, "2026-Q1", "x", 1))
    )
