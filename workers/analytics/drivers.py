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
positive share, the ``top_employees`` largest, ties — masses equal to 12 significant digits —
to the lower id). ``people`` counts the
distinct employees of the segment with a row in the partition, zero mass included, so
"3 new hires of 10 make 60% of defects" reads straight off two rows: ``headcount`` is the
partition's people (every employee with a row in it), so a segment's share of the people is
``people / headcount`` and its over-representation ``share / (people / headcount)``
(``representation`` adds both) — half the gap from half the staff is no finding. A partition whose total
mass is 0 has nothing to explain and gives no rows. Metrics unknown to ``metrics`` are skipped.
Rows are sorted by metric_id, department_id, period, dimension, share (largest first), segment.

The masses per employee and period come from ``workers.analytics.individual`` (shared with top
performers); ``drivers_of`` takes them ready-made.
"""

from __future__ import annotations

import polars as pl

from domain.tenure import NEW_HIRE_DAYS
from workers.analytics.individual import (
    INDIVIDUAL_SCHEMA,
    PART,
    SIGNIFICANT,
    SLOT_KEYS,
    best,
    individual_periods,
)
from workers.analytics.periods import conform, slot_end, slot_period

KEYS = ["metric_id", "department_id", "period"]
NO_TEAM = "(no team)"

EMPLOYEES_SCHEMA = pl.Schema({"employee_id": pl.Int64, "hire_date": pl.Date, "team": pl.String})
DRIVERS_SCHEMA = pl.Schema(
    {
        "metric_id": pl.Int64,
        "department_id": pl.Int64,
        "period": pl.String,
        "dimension": pl.String,
        "segment": pl.String,
        "share": pl.Float64,
        "people": pl.Int64,
        "headcount": pl.Int64,
    }
)


def representation(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (drivers) with ``people_share`` (people / headcount) and ``over_representation``
    (share / people_share; null when the segment holds nobody)."""
    people_share = pl.when(pl.col("headcount") > 0).then(pl.col("people") / pl.col("headcount"))
    return frame.with_columns(people_share=people_share).with_columns(
        over_representation=pl.when(pl.col("people_share") > 0).then(pl.col("share") / pl.col("people_share"))
    )


def drivers(
    observations: pl.DataFrame, employees: pl.DataFrame, metrics: pl.DataFrame, *, top_employees: int = 5
) -> pl.DataFrame:
    """Driver shares per metric × department × period (months and quarters) and dimension."""
    return drivers_of(individual_periods(observations, metrics), employees, top_employees=top_employees)


def drivers_of(individual: pl.DataFrame, employees: pl.DataFrame, *, top_employees: int = 5) -> pl.DataFrame:
    """``drivers`` from the individual figures (``workers.analytics.individual``)."""
    rows = conform(individual, INDIVIDUAL_SCHEMA)
    # one grouping of every row by new hire × team; totals, tenure and team add its groups up.
    # Teams are numbered first: grouping and joining on an integer is cheaper than on a string.
    staff = (
        conform(employees, EMPLOYEES_SCHEMA)
        .with_columns(team=pl.col("team").fill_null(NO_TEAM))
        .with_columns(team_code=pl.col("team").rank("dense").cast(pl.Int32))
        .collect()
    )
    team_names = staff.lazy().select("team_code", "team").unique("team_code")
    cutoffs = rows.select(pl.col("slot").unique()).with_columns(
        cutoff=slot_end(pl.col("slot")) - pl.duration(days=NEW_HIRE_DAYS)
    )
    groups = (
        rows.select(PART, *SLOT_KEYS, "employee_id", "mass")
        .join(staff.lazy().select("employee_id", "hire_date", "team_code"), on="employee_id", how="left")
        .join(cutoffs, on="slot", how="left")
        .group_by(PART, "team_code", new_hire=(pl.col("hire_date") > pl.col("cutoff")).fill_null(False))
        .agg(  # the partition's keys ride along: cheaper than looking them up after
            pl.col("mass").sum(),
            people=pl.len().cast(pl.Int64),
            metric_id=pl.col("metric_id").first(),
            department_id=pl.col("department_id").first(),
            slot=pl.col("slot").first(),
        )
        .join(team_names, on="team_code", how="left")
        .with_columns(pl.col("team").fill_null(NO_TEAM))  # employees unknown to ``employees``
        .collect()
        .lazy()
    )
    totals = (  # with the partition's keys, spelt out once per partition
        groups.group_by(PART)
        .agg(pl.col(SLOT_KEYS).first(), total=pl.col("mass").sum(), headcount=pl.col("people").sum())
        .filter(pl.col("total") > 0)
        .collect()
        .lazy()
    )
    share = (pl.col("mass") / pl.col("total")).clip(0.0, 1.0).alias("share")

    def by(dimension: str, segment: pl.Expr, column: str) -> pl.LazyFrame:
        return (
            groups.group_by(PART, column)
            .agg(pl.col("mass").sum(), pl.col("people").sum())
            .join(totals, on=PART)
            .select(
                *SLOT_KEYS,
                dimension=pl.lit(dimension),
                segment=segment,
                share=share,
                people="people",
                headcount="headcount",
            )
        )

    tenure = by(
        "tenure", pl.when("new_hire").then(pl.lit("new_hire")).otherwise(pl.lit("experienced")), "new_hire"
    )
    team = by("team", pl.col("team"), "team")
    # an employee is its own segment: no grouping, just the largest masses (ties to the lower id)
    top = (
        best(
            rows.select(PART, "employee_id", "mass")
            .filter((pl.col("mass") > 0) & pl.lit(top_employees > 0))
            .with_columns(order=-pl.col("mass").round_sig_figs(SIGNIFICANT)),
            max(top_employees, 1),
        )
        .join(totals, on=PART)
        .select(
            *SLOT_KEYS,
            dimension=pl.lit("employee"),
            segment=pl.col("employee_id").cast(pl.String),
            share=share,
            people=pl.lit(1, pl.Int64),
            headcount="headcount",
        )
    )
    partition = [*KEYS, "dimension"]
    return (
        pl.concat([tenure, team, top])
        .with_columns(period=slot_period(pl.col("slot")))
        .select(DRIVERS_SCHEMA.names())
        .collect()
        .cast(dict(DRIVERS_SCHEMA))
        .sort(  # shares equal to 12 digits are a tie whatever order their sums were taken in
            [*partition, pl.col("share").round_sig_figs(SIGNIFICANT), "segment"],
            descending=[False] * 4 + [True, False],
        )
    )
