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
so reruns agree. Rows are
sorted by metric_id, department_id, period, rank.
"""

from __future__ import annotations

import polars as pl

from domain.models import Aggregation, Direction
from workers.analytics.drivers import METRICS_SCHEMA, OBSERVATIONS_SCHEMA
from workers.analytics.periods import conform, month_slot, quarter_slot, slot_period

KEYS = ["metric_id", "department_id", "period"]
SLOT_KEYS = ["metric_id", "department_id", "slot"]  # the same, with the period as an integer
TOLERANCE = 1e-9
SIGNIFICANT = 12  # values equal to 12 digits are a tie: summing in another order moves the last bits

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


def _rolled_up(rows: pl.LazyFrame, metrics: pl.LazyFrame) -> pl.LazyFrame:
    """An employee's value over the rows of a group (one month, or a quarter's months): plain
    sums per group (Polars' fast path), the metric's rule applied after."""
    sums = rows.group_by(*SLOT_KEYS, "employee_id").agg(
        parts=(pl.col("numerator").is_not_null() & pl.col("denominator").is_not_null()).all(),
        numerator=pl.col("numerator").sum(),
        denominator=pl.col("denominator").sum(),
        total=pl.col("value").sum(),
        mean=pl.col("value").mean(),
    )
    ratio = (pl.col("aggregation") == Aggregation.RATIO.value) & pl.col("parts") & (pl.col("denominator") > 0)
    value = (
        pl.when(ratio)
        .then(pl.col("numerator") / pl.col("denominator"))
        .when(pl.col("aggregation") == Aggregation.SUM.value)
        .then(pl.col("total"))
        .otherwise(pl.col("mean"))
    )
    return sums.join(metrics, on="metric_id").select(*SLOT_KEYS, "employee_id", "direction", value=value)


def top_performers(
    observations: pl.DataFrame, metrics: pl.DataFrame, *, fraction: float = 0.10
) -> pl.DataFrame:
    """The best ``fraction`` (at least one) of employees per metric × department × period."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must be between 0 and 1, got {fraction}")
    directions = [Direction.HIGHER_IS_BETTER.value, Direction.LOWER_IS_BETTER.value]
    known = conform(metrics, METRICS_SCHEMA).filter(pl.col("direction").is_in(directions))
    rows = (
        conform(observations, OBSERVATIONS_SCHEMA)
        .filter(pl.col("employee_id").is_not_null() & pl.col("value").is_finite())
        .join(known.select("metric_id"), on="metric_id", how="semi")
        .select(
            "metric_id", "department_id", "employee_id", "value", "numerator", "denominator",
            slot=month_slot(pl.col("period")),
        )
        .collect()
        .lazy()  # read twice: months and quarters
    )  # fmt: skip
    months = _rolled_up(rows, known)
    quarters = _rolled_up(rows.with_columns(slot=quarter_slot(pl.col("slot"))), known)
    higher = pl.col("direction") == Direction.HIGHER_IS_BETTER.value
    score = pl.when(higher).then(-pl.col("value")).otherwise(pl.col("value"))
    ranked = (  # one sort on integer keys; a row's rank is its place within its partition
        pl.concat([months, quarters])
        .filter(pl.col("value").is_finite())
        .with_columns(score=score.round_sig_figs(SIGNIFICANT))
        .sort([*SLOT_KEYS, "score", "employee_id"])
        .collect()
    )
    keep = (pl.len().over(SLOT_KEYS) * fraction - TOLERANCE).ceil().clip(lower_bound=1)
    return (
        ranked.with_columns(rank=pl.int_range(1, pl.len() + 1).over(SLOT_KEYS).cast(pl.Int64))
        .filter(pl.col("rank") <= keep)
        .with_columns(period=slot_period(pl.col("slot")))
        .select(PERFORMERS_SCHEMA.names())
        .cast(dict(PERFORMERS_SCHEMA))
        .sort([*KEYS, "rank"])
    )
