"""Improvement plans in numbers: progress per month, status, and the measured effect.

Pure Polars, frames in and frames out. A plan is measured on its department's monthly value of
its metric (``values``: the department values), relative to the baseline fixed when it was
made; its milestones come in as a frame (``domain.plans.milestones`` writes that rule once).

**Progress** — one row per plan × month with a value after the baseline month:

- ``change_from_baseline = actual / baseline − 1``;
- ``remaining_to_goal = |goal_change − change|`` in a month that has not reached the goal, 0 in
  one that has: a month's own standing, so a plan that reached its goal and slipped back reads
  as short again (its status stays ACHIEVED);
- ``milestone``: the milestone due by that month (the latest whose due month has come), None
  before the first;
- ``on_track``: the month is at least as good as that milestone, or as the baseline before the
  first milestone is due.

"Reached" and "at least as good" compare values in the metric's direction (higher or lower is
better), so they hold for a negative baseline too, where the sign of a relative change flips;
values within ``TOLERANCE`` (relative) of each other are equal — a goal of −20% on 0.10 is
0.08000000000000002 in floating point, and 0.08 has reached it.

A plan whose baseline is 0 has no progress and no effect: a change relative to 0 is undefined
(and its goal ``0 × (1 + goal_change)`` says nothing).

**Status** (never for a CANCELLED plan, a person's decision): ACHIEVED when a month up to the
deadline month reaches the goal (``status_period`` the first such month); MISSED when the
deadline month has data and no month up to it reached the goal (``status_period`` the deadline
month); ACTIVE otherwise. It is a function of the data: corrected values can move it back.

**Effect** — before and after, and against departments without a plan:

- ``current`` is the plan's latest month with data after the baseline; ``change = current /
  baseline − 1``;
- the comparison group is every other department with a value of the metric in both the
  baseline month and the current month, a non-zero baseline-month value, and no plan on the
  metric — of any status, CANCELLED included, since a plan changes what people do before
  anyone cancels it — whose months (``start`` to ``deadline_month``) overlap the months after
  the baseline up to the current one;
- ``comparison_change`` is the mean of the comparison departments' own relative changes over
  those months: each department counts once, like the plan's department, and a department with
  large values (a sum metric in a big department) does not outweigh the rest, as it would in
  the relative change of their means;
- ``difference_in_differences = change − comparison_change``: how much more the plan's
  department moved than departments without a plan; both null without a comparison group.
"""

from __future__ import annotations

import polars as pl

from domain.vocabulary import Direction
from workers.analytics.periods import conform, month_slot

TOLERANCE = 1e-9  # relative: values this close are the same (floating-point products and sums)
CANCELLED = "CANCELLED"  # ``PlanStatus`` values, spelt here: the analytics import no models
ACTIVE, ACHIEVED, MISSED = "ACTIVE", "ACHIEVED", "MISSED"

PLANS_SCHEMA = pl.Schema(
    {
        "plan_id": pl.Int64,
        "metric_id": pl.Int64,
        "department_id": pl.Int64,
        "direction": pl.String,  # the metric's
        "baseline": pl.Float64,
        "baseline_period": pl.String,  # YYYY-MM
        "goal_change": pl.Float64,
        "goal_value": pl.Float64,
        "start": pl.String,  # YYYY-MM: the plan's first month (``domain.plans.milestones.plan_start``)
        "deadline_month": pl.String,  # YYYY-MM: the deadline's last month
        "status": pl.String,
    }
)
MILESTONES_SCHEMA = pl.Schema({"plan_id": pl.Int64, "due": pl.String, "target_value": pl.Float64})
VALUES_SCHEMA = pl.Schema(
    {"metric_id": pl.Int64, "department_id": pl.Int64, "period": pl.String, "value": pl.Float64}
)
PROGRESS_SCHEMA = pl.Schema(
    {
        "plan_id": pl.Int64,
        "period": pl.String,
        "actual": pl.Float64,
        "change_from_baseline": pl.Float64,
        "remaining_to_goal": pl.Float64,
        "milestone": pl.Float64,
        "on_track": pl.Boolean,
    }
)
STATUS_SCHEMA = pl.Schema({"plan_id": pl.Int64, "status": pl.String, "status_period": pl.String})
EFFECT_SCHEMA = pl.Schema(
    {
        "plan_id": pl.Int64,
        "baseline": pl.Float64,
        "current": pl.Float64,
        "current_period": pl.String,
        "change": pl.Float64,
        "comparison_change": pl.Float64,
        "difference_in_differences": pl.Float64,
        "comparison_department_ids": pl.List(pl.Int64),
    }
)


def at_least_as_good(value: pl.Expr, reference: pl.Expr, direction: pl.Expr) -> pl.Expr:
    """``value`` is as good as ``reference`` or better, in the metric's direction."""
    slack = TOLERANCE * pl.max_horizontal(value.abs(), reference.abs())
    return (
        pl.when(direction == Direction.LOWER_IS_BETTER.value)
        .then(value <= reference + slack)
        .otherwise(value >= reference - slack)
    )


def _measured(plans: pl.DataFrame, values: pl.DataFrame) -> pl.LazyFrame:
    """Each measurable plan joined with its department's values after its baseline month."""
    plans = conform(plans, PLANS_SCHEMA).filter(pl.col("baseline") != 0)
    values = conform(values, VALUES_SCHEMA)
    return (
        plans.join(values, on=["metric_id", "department_id"])
        .filter(pl.col("period") > pl.col("baseline_period"))
        .rename({"value": "actual"})
        .with_columns(change_from_baseline=pl.col("actual") / pl.col("baseline") - 1)
    )


def progress(plans: pl.DataFrame, milestones: pl.DataFrame, values: pl.DataFrame) -> pl.DataFrame:
    """One row per plan × month with data after its baseline, by plan and month."""
    months = _measured(plans, values).with_columns(slot=month_slot(pl.col("period")))
    due = conform(milestones, MILESTONES_SCHEMA).select(
        "plan_id", month_slot(pl.col("due")).alias("due_slot"), pl.col("target_value").alias("milestone")
    )
    latest_due = (  # the milestone due by each month: the one with the latest due month up to it
        months.select("plan_id", "slot")
        .join(due, on="plan_id")
        .filter(pl.col("due_slot") <= pl.col("slot"))
        .group_by("plan_id", "slot")
        .agg(pl.col("milestone").sort_by("due_slot").last())
    )
    direction = pl.col("direction")
    reached = at_least_as_good(pl.col("actual"), pl.col("goal_value"), direction)
    measure = pl.coalesce(pl.col("milestone"), pl.col("baseline"))  # before the first milestone: the baseline
    return (
        months.join(latest_due, on=["plan_id", "slot"], how="left")
        .with_columns(
            remaining_to_goal=pl.when(reached)
            .then(0.0)
            .otherwise((pl.col("goal_change") - pl.col("change_from_baseline")).abs()),
            on_track=at_least_as_good(pl.col("actual"), measure, direction),
        )
        .select(PROGRESS_SCHEMA.names())
        .collect()
        .cast(dict(PROGRESS_SCHEMA))
        .sort("plan_id", "period")
    )


def plan_statuses(plans: pl.DataFrame, progress_points: pl.DataFrame) -> pl.DataFrame:
    """ACTIVE, ACHIEVED or MISSED with the month that decided it, for every plan not CANCELLED.

    ``progress_points`` is :func:`progress`'s output: a month reached the goal when nothing
    remains to it."""
    plans = conform(plans, PLANS_SCHEMA).filter(pl.col("status") != CANCELLED)
    points = conform(progress_points, PROGRESS_SCHEMA)
    by_deadline = (
        points.join(plans.select("plan_id", "deadline_month"), on="plan_id")
        .filter(pl.col("period") <= pl.col("deadline_month"))
        .group_by("plan_id")
        .agg(
            first_reached=pl.col("period").filter(pl.col("remaining_to_goal") == 0).min(),
            deadline_seen=(pl.col("period") == pl.col("deadline_month")).any(),
        )
    )
    return (
        plans.select("plan_id", "deadline_month")
        .join(by_deadline, on="plan_id", how="left")
        .with_columns(
            status=pl.when(pl.col("first_reached").is_not_null())
            .then(pl.lit(ACHIEVED))
            .when(pl.col("deadline_seen").fill_null(False))
            .then(pl.lit(MISSED))
            .otherwise(pl.lit(ACTIVE)),
        )
        .with_columns(
            status_period=pl.when(pl.col("status") == ACHIEVED)
            .then(pl.col("first_reached"))
            .when(pl.col("status") == MISSED)
            .then(pl.col("deadline_month"))
        )
        .select(STATUS_SCHEMA.names())
        .collect()
        .cast(dict(STATUS_SCHEMA))
        .sort("plan_id")
    )


def plan_effects(plans: pl.DataFrame, values: pl.DataFrame) -> pl.DataFrame:
    """One row per plan with data after its baseline; ``plans`` holds every plan on the metrics
    (CANCELLED too: they keep departments out of the comparison groups)."""
    everyone = conform(plans, PLANS_SCHEMA).collect()
    values = conform(values, VALUES_SCHEMA).collect()
    latest = (
        _measured(everyone, values)
        .filter(pl.col("period") == pl.col("period").max().over("plan_id"))
        .select(
            "plan_id",
            "metric_id",
            "department_id",
            "baseline",
            "baseline_period",
            pl.col("actual").alias("current"),
            pl.col("period").alias("current_period"),
            pl.col("change_from_baseline").alias("change"),
        )  # fmt: skip
        .collect()
    )
    at = values.select("metric_id", "department_id", "period", "value")
    others = (
        latest.select("plan_id", "metric_id", "department_id", "baseline_period", "current_period")
        .join(
            at.rename({"department_id": "other", "value": "before"}),
            left_on=["metric_id", "baseline_period"],
            right_on=["metric_id", "period"],
        )
        .join(
            at.rename({"department_id": "other", "value": "after"}),
            left_on=["metric_id", "other", "current_period"],
            right_on=["metric_id", "other", "period"],
        )
        .filter((pl.col("other") != pl.col("department_id")) & (pl.col("before") != 0))
    )
    planned = everyone.select(
        "metric_id", pl.col("department_id").alias("other"), "start", pl.col("deadline_month").alias("end")
    )
    treated = (  # a comparison department with a plan of its own over those months
        others.join(planned, on=["metric_id", "other"])
        .filter((pl.col("start") <= pl.col("current_period")) & (pl.col("end") > pl.col("baseline_period")))
        .select("plan_id", "other")
        .unique()
    )
    comparison = (
        others.join(treated, on=["plan_id", "other"], how="anti")
        .group_by("plan_id")
        .agg(
            comparison_change=(pl.col("after") / pl.col("before") - 1).mean(),
            comparison_department_ids=pl.col("other").sort(),
        )
    )
    return (
        latest.join(comparison, on="plan_id", how="left")
        .with_columns(
            difference_in_differences=pl.col("change") - pl.col("comparison_change"),
            comparison_department_ids=pl.col("comparison_department_ids").fill_null(
                pl.lit([], pl.List(pl.Int64))
            ),
        )
        .select(EFFECT_SCHEMA.names())
        .cast(dict(EFFECT_SCHEMA))
        .sort("plan_id")
    )
