"""Top performers: who could teach a metric in a department, per period.

Skill sharing needs presenters whose numbers show they know how (design: the top 10%). Per
metric × department × period (months and quarters), employees are ranked on their value,
best first by the metric's direction, and the best ``ceil(fraction × n)`` are kept — at least
one — where ``n`` counts the employees with a value. ``fraction × n`` is taken with a 1e-9
tolerance, so 10% of 70 people is 7, not the 8 that floating point would give.

An employee's quarter value rolls up by the metric's aggregation, as department values do:
Σnumerator / Σdenominator for a ratio whose months all carry both (and Σdenominator > 0),
the sum for a sum, the mean otherwise. Rows with a missing or non-finite value are ignored;
metrics missing from ``metrics`` or with an unknown direction are skipped.

``rank`` is 1 for the best; equal values (to 12 significant digits) are ordered by employee_id
so reruns agree. Rows are sorted by metric_id, department_id, period, rank.

The values per employee and period come from ``workers.analytics.individual`` (shared with
drivers); ``performers_of`` takes them ready-made.
"""

from __future__ import annotations

import polars as pl

from workers.analytics.individual import INDIVIDUAL_SCHEMA, PART, best, individual_periods
from workers.analytics.periods import conform, slot_period

KEYS = ["metric_id", "department_id", "period"]
TOLERANCE = 1e-9

PERFORMERS_SCHEMA = pl.Schema(
    {
        "metric_id": pl.Int64,
        "department_id": pl.Int64,
        "period": pl.String,
        "employee_id": pl.Int64,
        "value": pl.Float64,
        "rank": pl.Int64,
    }
)


def top_performers(
    observations: pl.DataFrame, metrics: pl.DataFrame, *, fraction: float = 0.10
) -> pl.DataFrame:
    """The best ``fraction`` (at least one) of employees per metric × department × period."""
    return performers_of(individual_periods(observations, metrics), fraction=fraction)


def performers_of(individual: pl.DataFrame, *, fraction: float = 0.10) -> pl.DataFrame:
    """``top_performers`` from the individual figures (``workers.analytics.individual``)."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must be between 0 and 1, got {fraction}")
    keep = (pl.len().over(PART) * fraction - TOLERANCE).ceil().clip(lower_bound=1)
    rows = (
        conform(individual, INDIVIDUAL_SCHEMA)
        .filter(pl.col("score").is_not_null() & pl.col("value").is_finite())
        .with_columns(order="score", keep=keep)
    )
    return (
        best(rows, pl.col("keep"))
        .with_columns(period=slot_period(pl.col("slot")))
        .select(PERFORMERS_SCHEMA.names())
        .collect()
        .cast(dict(PERFORMERS_SCHEMA))
        .sort([*KEYS, "rank"])
    )
