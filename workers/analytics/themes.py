"""Feedback themes: what people say about a department's metric, counted per period.

A salon built on a gap should start from the words people used, so each theme tag is counted
per metric × department × period: ``count`` is the number of feedback rows carrying the theme
(a tag repeated within one row counts once; tags are trimmed and empty ones dropped). Feedback
tied to no metric keeps ``metric_id`` null and still counts for its department.

A month's feedback also counts in its quarter; feedback dated with a quarter (the feedback
table allows ``YYYY-Qn``) counts in that quarter only. Rows are sorted by department_id,
metric_id (nulls last), period, count (largest first), theme.
"""

from __future__ import annotations

import polars as pl

from workers.analytics.periods import quarter_of

FEEDBACK_SCHEMA = pl.Schema(
    {
        "department_id": pl.Int64,
        "metric_id": pl.Int64,
        "period": pl.String,
        "themes": pl.List(pl.String),
    }
)
THEMES_SCHEMA = pl.Schema(
    {
        "metric_id": pl.Int64,
        "department_id": pl.Int64,
        "period": pl.String,
        "theme": pl.String,
        "count": pl.Int64,
    }
)


def feedback_themes(feedback: pl.DataFrame) -> pl.DataFrame:
    """One row per metric (or none) × department × period (months and quarters) × theme."""
    # a database driver may type an all-null column as Null: pin the schema
    rows = (
        feedback.lazy()
        .select(pl.col(name).cast(dtype) for name, dtype in FEEDBACK_SCHEMA.items())
        .with_row_index("row")
        .explode("themes")
        .with_columns(theme=pl.col("themes").str.strip_chars())
        .filter(pl.col("theme").is_not_null() & (pl.col("theme") != ""))
        .select("row", "department_id", "metric_id", "period", "theme")
        .unique()  # a tag twice in one row is one row carrying it
    )
    is_month = pl.col("period").str.slice(5, 1) != "Q"
    months = rows.filter(is_month)
    quarters = months.with_columns(quarter_of(pl.col("period")).alias("period"))
    return (
        pl.concat([months, quarters, rows.filter(~is_month)])
        .group_by("metric_id", "department_id", "period", "theme")
        .agg(count=pl.len().cast(pl.Int64))
        .select(THEMES_SCHEMA.names())
        .collect()
        .cast(dict(THEMES_SCHEMA))
        .sort(
            ["department_id", "metric_id", "period", "count", "theme"],
            descending=[False, False, False, True, False],
            nulls_last=True,
        )
    )
