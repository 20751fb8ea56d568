"""Drivers: which segment of a department carries its gap on a metric.

A gap is a department number; a salon needs to know whose work makes it. Each employee row
gets a BAD MASS — how much of the bad outcome it holds — and a segment's driver share is its
part of the partition's (metric × department × period) total:

- ratio, lower is better (defect rate): the numerator (the defects);
- ratio, higher is better (on-time rate): denominator − numerator (the late deliveries);
- sum, lower is better: the value;
- mean metrics, higher-is-better sums, and ratio rows without numerator/denominator: the
  product's definition for means — the distance on the bad side of the department's mean for
  that metric and month (the mean of its employees' values): ``max(0, mean − value)`` when
  higher is better, ``max(0, value − mean)`` when lower is better. Sitting at or on the good
  side of the mean carries nothing; so does a distance under 1e-12 of the mean (rounding).

Counts are clipped at 0 and a missing or non-finite mass is 0, so shares stay in 0..1. A
quarter's mass is the sum of its months' masses per employee.

Dimensions: ``tenure`` (``new_hire`` when hired less than 180 days before the period's end —
a quarter's end for a quarter — else ``experienced``, also when the hire date is unknown),
``team`` (``(no team)`` when none) and ``employee`` (the id as a string; only employees with a
positive share, the ``top_employees`` largest, ties — equal to 12 significant digits — to the lower id). ``people`` counts the
distinct employees of the segment with a row in the partition, zero mass included, so
"3 new hires of 10 make 60% of defects" reads straight off two rows. A partition whose total
mass is 0 has nothing to explain and gives no rows. Metrics unknown to ``metrics`` are skipped.
Rows are sorted by metric_id, department_id, period, dimension, share (largest first), segment.
"""

from __future__ import annotations

import polars as pl

from domain.models import Aggregation, Direction
from workers.analytics.periods import conform, month_slot, quarter_slot, slot_end, slot_period
from workers.analytics.rollup import OBSERVATIONS_SCHEMA  # the same observation rows, one schema

KEYS = ["metric_id", "department_id", "period"]
SLOT_KEYS = ["metric_id", "department_id", "slot"]  # the same, with the period as an integer
NEW_HIRE_DAYS = 180
NO_TEAM = "(no team)"
NOISE = 1e-12  # relative: below it, a value and its mean are equal
SIGNIFICANT = 12  # shares equal to 12 digits are a tie: summing in another order moves the last bits

EMPLOYEES_SCHEMA = pl.Schema({"employee_id": pl.Int64, "hire_date": pl.Date, "team": pl.String})
METRICS_SCHEMA = pl.Schema({"metric_id": pl.Int64, "direction": pl.String, "aggregation": pl.String})
DRIVERS_SCHEMA = pl.Schema(
    {
        "metric_id": pl.Int64,
        "department_id": pl.Int64,
        "period": pl.String,
        "dimension": pl.String,
        "segment": pl.String,
        "share": pl.Float64,
        "people": pl.Int64,
    }
)


def _bad_mass() -> pl.Expr:
    higher = pl.col("direction") == Direction.HIGHER_IS_BETTER.value
    lower = pl.col("direction") == Direction.LOWER_IS_BETTER.value
    parts = pl.col("numerator").is_not_null() & pl.col("denominator").is_not_null()
    ratio = (pl.col("aggregation") == Aggregation.RATIO.value) & parts
    finite = pl.col("value").filter(pl.col("value").is_finite())
    mean = finite.mean().over(SLOT_KEYS)
    # at the mean, up to rounding (the mean summed in another order): no distance
    distance = (
        pl.when((mean - pl.col("value")).abs() > NOISE * mean.abs())
        .then(mean - pl.col("value"))
        .otherwise(0.0)
    )
    mass = (
        pl.when(ratio & lower)
        .then(pl.col("numerator"))
        .when(ratio & higher)
        .then(pl.col("denominator") - pl.col("numerator"))
        .when((pl.col("aggregation") == Aggregation.SUM.value) & lower)
        .then(pl.col("value"))
        .when(higher)
        .then(distance)
        .when(lower)
        .then(-distance)
        .clip(lower_bound=0)
    )
    return pl.when(mass.is_finite()).then(mass).otherwise(0.0).alias("mass")


def drivers(
    observations: pl.DataFrame, employees: pl.DataFrame, metrics: pl.DataFrame, *, top_employees: int = 5
) -> pl.DataFrame:
    """Driver shares per metric × department × period (months and quarters) and dimension."""
    rows = (
        conform(observations, OBSERVATIONS_SCHEMA)
        .filter(pl.col("employee_id").is_not_null())
        .join(conform(metrics, METRICS_SCHEMA), on="metric_id", how="inner")
        .with_columns(slot=month_slot(pl.col("period")))
        .with_columns(_bad_mass())
    )
    per_employee = rows.group_by(*SLOT_KEYS, "employee_id").agg(pl.col("mass").sum())
    quarters = (
        per_employee.with_columns(slot=quarter_slot(pl.col("slot")))
        .group_by(*SLOT_KEYS, "employee_id")
        .agg(pl.col("mass").sum())
    )
    masses = pl.concat([per_employee, quarters]).collect().lazy()  # one row per slot × employee; used thrice
    totals = (
        masses.group_by(SLOT_KEYS)
        .agg(total=pl.col("mass").sum())
        .filter(pl.col("total") > 0)
        .collect()
        .lazy()
    )
    share = (pl.col("mass") / pl.col("total")).clip(0.0, 1.0).alias("share")
    people = (
        masses.join(conform(employees, EMPLOYEES_SCHEMA), on="employee_id", how="left")
        .with_columns(
            new_hire=(
                pl.col("hire_date") > slot_end(pl.col("slot")) - pl.duration(days=NEW_HIRE_DAYS)
            ).fill_null(False),
            team=pl.col("team").fill_null(NO_TEAM),
        )
        .collect()
        .lazy()
    )

    def by(dimension: str, segment: pl.Expr, column: str) -> pl.LazyFrame:
        return (
            people.group_by(*SLOT_KEYS, column)
            .agg(pl.col("mass").sum(), people=pl.len().cast(pl.Int64))
            .join(totals, on=SLOT_KEYS)
            .select(*SLOT_KEYS, dimension=pl.lit(dimension), segment=segment, share=share, people="people")
        )

    tenure = by(
        "tenure", pl.when("new_hire").then(pl.lit("new_hire")).otherwise(pl.lit("experienced")), "new_hire"
    )
    team = by("team", pl.col("team"), "team")
    # an employee is its own segment: no grouping, just the largest shares (ties to the lower id)
    top = (
        masses.join(totals, on=SLOT_KEYS)
        .with_columns(share)
        .filter((pl.col("share") > 0) & pl.lit(top_employees > 0))
        .sort(
            [*SLOT_KEYS, pl.col("share").round_sig_figs(SIGNIFICANT), "employee_id"],
            descending=[False] * 3 + [True, False],
        )
        .group_by(SLOT_KEYS, maintain_order=True)
        .head(max(top_employees, 1))
        .select(
            *SLOT_KEYS,
            dimension=pl.lit("employee"),
            segment=pl.col("employee_id").cast(pl.String),
            share="share",
            people=pl.lit(1, pl.Int64),
        )
    )
    partition = [*KEYS, "dimension"]
    return (
        pl.concat([tenure, team, top])
        .with_columns(period=slot_period(pl.col("slot")))
        .select(DRIVERS_SCHEMA.names())
        .collect()
        .cast(dict(DRIVERS_SCHEMA))
        .sort([*partition, "share", "segment"], descending=[False] * 4 + [True, False])
    )
