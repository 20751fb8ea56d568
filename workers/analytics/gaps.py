"""Gaps: where each department stands on each metric, against target and against last period.

Pure Polars, frames in and frames out. Input is the monthly department values of
``workers.analytics.rollup``; quarters are rolled up here by the metric's aggregation.

Severity — how much a salon about this gap is worth — combines, per metric × department ×
period:

- shortfall: ``1 − attainment`` when below target (0 otherwise, or without a target);
- deterioration: the relative change in the bad direction (0 when improving or unknown);
- people affected: ``contributors`` (employees behind the value), as a weight growing from 1
  (nobody) to 2 (200 people) logarithmically, so a large team's gap ranks above a small one's
  of the same size without drowning it.

``severity = 100 × (shortfall + deterioration) × (1 + ln(1 + people) / ln(201))``: a department
10% under target and 5% worse than last month, 50 people: 100 × 0.15 × 1.74 ≈ 26.
Severity is rounded to 4 decimals (half away from zero, from its first 12 significant digits,
so reruns agree). A change smaller than 1e-12 in size is 0 (not worsening): it is the rounding of the same
numbers added in another order, which would otherwise flip ``worsening`` between two runs.
Incomplete periods are said so and never passed off as complete: every gap carries
``months_covered`` (months of the period with a value: 1 for a month, 1–3 for a quarter) and
``complete`` (all of them). A sum over part of a quarter is not a quarter's sum, so for a metric
aggregated by ``sum`` an incomplete quarter has no ``previous``/``change`` and no
``target``/``attainment`` (it is not compared with a complete quarter nor with a three-month
target), and a complete quarter is not compared with an incomplete one before it. Means and
ratios of the months present are levels, comparable as they are, so they keep their comparisons.
Missing data is explicit: no previous period → ``previous``/``change`` null; no target →
``target``/``attainment`` null; a zero divisor gives null, never NaN or infinity.
"""

from __future__ import annotations

import math

import polars as pl

from domain.vocabulary import Aggregation, Direction
from workers.analytics.periods import conform, previous_of, quarter_of
from workers.analytics.rollup import METRIC_KINDS_SCHEMA

KEYS = ["metric_id", "department_id", "period"]
ATTAINMENT_TOLERANCE = 1e-9  # sums in another order can give 0.9999999999999999 for "on target"
NOISE = 1e-12  # a relative change this small is rounding (the same months summed in another order): 0
PEOPLE_SCALE = math.log(201)  # ln(1 + 200): the weight reaches 2 at a department of 200

VALUES_SCHEMA = pl.Schema(
    {
        "metric_id": pl.Int64,
        "department_id": pl.Int64,
        "period": pl.String,
        "value": pl.Float64,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
        "contributors": pl.Int64,
    }
)
TARGETS_SCHEMA = pl.Schema(
    {"metric_id": pl.Int64, "department_id": pl.Int64, "period": pl.String, "target": pl.Float64}
)
GAPS_SCHEMA = pl.Schema(
    {
        "metric_id": pl.Int64,
        "department_id": pl.Int64,
        "period": pl.String,
        "actual": pl.Float64,
        "previous": pl.Float64,
        "target": pl.Float64,
        "change": pl.Float64,
        "attainment": pl.Float64,
        "below_target": pl.Boolean,
        "worsening": pl.Boolean,
        "severity": pl.Float64,
        "contributors": pl.Int64,
        "months_covered": pl.Int64,
        "complete": pl.Boolean,
    }
)
MONTHS_IN = {"month": 1, "quarter": 3}


def coverage(values: pl.DataFrame) -> pl.DataFrame:
    """Per metric × department × period (months and quarters): how many months have a value,
    and whether that is all of the period's months."""
    months = values.lazy().select("metric_id", "department_id", "period").unique()
    quarters = (
        months.with_columns(quarter_of(pl.col("period")).alias("period"))
        .group_by("metric_id", "department_id", "period")
        .agg(pl.len().cast(pl.Int64).alias("months_covered"))
    )
    frame = pl.concat(
        [months.with_columns(months_covered=pl.lit(1, pl.Int64)), quarters.select(*KEYS, "months_covered")]
    )
    is_quarter = pl.col("period").str.contains("Q")
    whole = pl.when(is_quarter).then(MONTHS_IN["quarter"]).otherwise(MONTHS_IN["month"])
    return frame.with_columns(complete=pl.col("months_covered") == whole).collect()


def with_quarters(values: pl.DataFrame, metrics: pl.DataFrame) -> pl.DataFrame:
    """Monthly values plus one row per quarter that has any month.

    Months combine by the metric's aggregation: Σnumerator / Σdenominator for ratios whose
    months all carry them, the sum for sums, the mean otherwise (ratios known only as values).
    """
    values = values.select(VALUES_SCHEMA.names()).cast(
        dict(VALUES_SCHEMA)
    )  # drivers may type all-null as Null
    metrics = metrics.select(pl.col("metric_id").cast(pl.Int64), pl.col("aggregation").cast(pl.String))
    monthly = values.lazy().join(metrics.lazy(), on="metric_id")
    aggregation = pl.col("aggregation").first()
    ratio = (aggregation == Aggregation.RATIO.value) & pl.col("denominator").is_not_null().all()
    denominator = pl.col("denominator").sum()
    value = (
        pl.when(ratio & (denominator > 0))
        .then(pl.col("numerator").sum() / denominator)
        .when(aggregation == Aggregation.SUM.value)
        .then(pl.col("value").sum())
        .otherwise(pl.col("value").mean())
    )
    quarters = (
        monthly.with_columns(quarter_of(pl.col("period")).alias("period"))
        .group_by("metric_id", "department_id", "period")
        .agg(
            value.alias("value"),
            pl.when(ratio).then(pl.col("numerator").sum()).alias("numerator"),
            pl.when(ratio).then(denominator).alias("denominator"),
            pl.col("contributors").max(),
        )
    )
    columns = VALUES_SCHEMA.names()
    return pl.concat([values.lazy().select(columns), quarters.select(columns)]).collect()


def _quarter_targets(targets: pl.DataFrame, metrics: pl.DataFrame) -> pl.DataFrame:
    """Explicit quarter targets win; otherwise the months' targets by aggregation (sum for sums)."""
    monthly = targets.filter(~pl.col("period").str.contains("Q")).join(
        metrics.select("metric_id", "aggregation"), on="metric_id"
    )
    derived = (
        monthly.with_columns(quarter_of(pl.col("period")).alias("period"))
        .group_by("metric_id", "department_id", "period")
        .agg(
            pl.when(pl.col("aggregation").first() == Aggregation.SUM.value)
            .then(pl.col("target").sum())
            .otherwise(pl.col("target").mean())
            .alias("target")
        )
    )
    explicit = targets.filter(pl.col("period").str.contains("Q"))
    derived = derived.join(explicit.select(KEYS), on=KEYS, how="anti")
    return pl.concat([targets.select(TARGETS_SCHEMA.names()), derived.select(TARGETS_SCHEMA.names())])


def _safe_ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    return pl.when(denominator.is_not_null() & (denominator != 0)).then(numerator / denominator)


def gaps(values: pl.DataFrame, metrics: pl.DataFrame, targets: pl.DataFrame) -> pl.DataFrame:
    """One row per metric × department × period (months and quarters), most severe first."""
    metrics = conform(metrics, METRIC_KINDS_SCHEMA).collect()
    targets = conform(targets, TARGETS_SCHEMA).collect()
    all_values = with_quarters(values, metrics).join(coverage(values.select(KEYS)), on=KEYS, how="left")
    previous = all_values.select(
        "metric_id",
        "department_id",
        pl.col("period").alias("_previous_period"),
        pl.col("value").alias("previous"),
        pl.col("complete").alias("_previous_complete"),
    )
    frame = (
        all_values.lazy()
        .with_columns(previous_of(pl.col("period")).alias("_previous_period"))
        .join(previous.lazy(), on=["metric_id", "department_id", "_previous_period"], how="left")
        .join(_quarter_targets(targets, metrics).lazy(), on=KEYS, how="left")
        .join(metrics.lazy().select("metric_id", "direction", "aggregation"), on="metric_id", how="left")
    )
    # a sum over part of a quarter is compared with nothing; a whole one only with a whole one
    is_sum = pl.col("aggregation") == Aggregation.SUM.value
    frame = frame.with_columns(
        previous=pl.when(is_sum & ~(pl.col("complete") & pl.col("_previous_complete").fill_null(False)))
        .then(None)
        .otherwise(pl.col("previous")),
        target=pl.when(is_sum & ~pl.col("complete")).then(None).otherwise(pl.col("target")),
    )
    higher = pl.col("direction") == Direction.HIGHER_IS_BETTER.value
    actual, target, previous_value = pl.col("value"), pl.col("target"), pl.col("previous")
    change = _safe_ratio(actual, previous_value) - 1
    change = pl.when(change.abs() < NOISE).then(0.0).otherwise(change)  # equal values, summed differently
    attainment = pl.when(higher).then(_safe_ratio(actual, target)).otherwise(_safe_ratio(target, actual))
    frame = frame.with_columns(change=change, attainment=attainment)
    bad_change = pl.when(higher).then(-pl.col("change")).otherwise(pl.col("change"))
    shortfall = (1 - pl.col("attainment")).clip(lower_bound=0).fill_null(0)
    deterioration = bad_change.clip(lower_bound=0).fill_null(0)
    weight = 1 + (pl.col("contributors").fill_null(0).cast(pl.Float64) + 1).log() / PEOPLE_SCALE
    return (
        frame.with_columns(
            below_target=(pl.col("attainment") < 1 - ATTAINMENT_TOLERANCE).fill_null(False),
            worsening=(bad_change > 0).fill_null(False),
            # 12 significant digits first: a score on a rounding midpoint (2.03125) must not
            # round up or down by how its sums were ordered
            severity=(100 * (shortfall + deterioration) * weight)
            .round_sig_figs(12)
            .round(4, mode="half_away_from_zero"),
        )
        .rename({"value": "actual"})
        .select(GAPS_SCHEMA.names())
        .sort(["severity", "metric_id", "department_id", "period"], descending=[True, False, False, False])
        .collect()
        .cast(dict(GAPS_SCHEMA))
    )
