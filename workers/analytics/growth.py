"""Growth needs: how much of a department wants to learn a skill, as of each period's end.

A skill-sharing salon is worth holding when enough people ask (design: ≥ 20%), so per
department × period × skill:

- a wish (``growth_wish`` with a non-empty skill) is OPEN at date D when dated ≤ D and no
  ``training`` on the same skill by the same employee is dated after it and ≤ D: training
  answers the wish, a later wish opens it again;
- ``wishers``: distinct employees with an open wish; ``headcount``: the department's employees
  hired on or before D (their current department — there is no transfer history); a wisher
  outside that headcount is not counted, so ``share = wishers / headcount`` stays in 0..1;
- the related metric of a skill is the metric carrying it (the lowest ``metric_id`` if
  several); ``metric_average`` is its department value in that period from ``values`` (null
  when there is none or the skill names no metric); ``values`` holds one row per metric ×
  department × period, as ``workers.analytics.gaps.with_quarters`` returns it.

D is the last day of the period (a quarter's last month for ``YYYY-Qn``). Only skills with an
open wish appear. Rows are sorted by department_id, period, share (largest first), skill.
"""

from __future__ import annotations

import polars as pl

from domain.vocabulary import GrowthKind
from workers.analytics.periods import conform, period_end

GROWTH_SCHEMA = pl.Schema({"employee_id": pl.Int64, "date": pl.Date, "kind": pl.String, "skill": pl.String})
ENDS_SCHEMA = pl.Schema({"period": pl.String, "end": pl.Date})
EMPLOYEES_SCHEMA = pl.Schema({"employee_id": pl.Int64, "department_id": pl.Int64, "hire_date": pl.Date})
SKILLS_SCHEMA = pl.Schema({"metric_id": pl.Int64, "skill": pl.String})  # the skill each metric carries
VALUES_SCHEMA = pl.Schema(
    {"metric_id": pl.Int64, "department_id": pl.Int64, "period": pl.String, "value": pl.Float64}
)
GROWTH_NEEDS_SCHEMA = pl.Schema(
    {
        "department_id": pl.Int64,
        "period": pl.String,
        "skill": pl.String,
        "share": pl.Float64,
        "wishers": pl.Int64,
        "headcount": pl.Int64,
        "metric_id": pl.Int64,
        "metric_average": pl.Float64,
    }
)


def open_wishes(growth: pl.DataFrame, ends: pl.DataFrame) -> pl.DataFrame:
    """``(employee_id, skill, period)`` for each wish open at its period's ``end`` (a Date):
    the rule of the module docstring, for callers outside the recompute (the planner)."""
    frame = _open_wishes(conform(growth, GROWTH_SCHEMA), conform(ends, ENDS_SCHEMA))
    return (
        frame.select("employee_id", "skill", "period")
        .unique()
        .collect()
        .sort("period", "employee_id", "skill")
    )


def _open_wishes(records: pl.LazyFrame, ends: pl.LazyFrame) -> pl.LazyFrame:
    """Each wish dated ≤ its period's end with no training on the skill after it and ≤ that end."""
    records = records.with_columns(pl.col("skill").str.strip_chars())
    skilled = pl.col("skill").is_not_null() & (pl.col("skill") != "")
    wishes = records.filter((pl.col("kind") == GrowthKind.GROWTH_WISH.value) & skilled).join(
        ends, how="cross"
    )
    wishes = wishes.filter(pl.col("date") <= pl.col("end")).select(
        "employee_id", "skill", "date", "period", "end"
    )
    trainings = records.filter(pl.col("kind") == GrowthKind.TRAINING.value).select(
        "employee_id", "skill", training=pl.col("date")
    )
    answered = (
        wishes.join(trainings, on=["employee_id", "skill"])
        .filter((pl.col("training") > pl.col("date")) & (pl.col("training") <= pl.col("end")))
        .select("employee_id", "skill", "date", "period")
        .unique()
    )
    return wishes.join(answered, on=["employee_id", "skill", "date", "period"], how="anti")


def growth_needs(
    growth: pl.DataFrame,
    employees: pl.DataFrame,
    metrics: pl.DataFrame,
    values: pl.DataFrame,
    periods: list[str],
) -> pl.DataFrame:
    """One row per department × period × skill with at least one open wish."""
    ends = pl.LazyFrame({"period": list(periods)}, schema={"period": pl.String}).unique()
    ends = ends.with_columns(end=period_end(pl.col("period")))
    wishes = _open_wishes(conform(growth, GROWTH_SCHEMA), ends)
    staff = (
        conform(employees, EMPLOYEES_SCHEMA)
        .join(ends, how="cross")
        .filter(pl.col("hire_date") <= pl.col("end"))
        .select("employee_id", "department_id", "period")
    )
    headcount = staff.group_by("department_id", "period").agg(headcount=pl.len().cast(pl.Int64))
    wishers = (
        wishes.join(staff, on=["employee_id", "period"])  # in the headcount as of that date
        .group_by("department_id", "period", "skill")
        .agg(wishers=pl.col("employee_id").n_unique().cast(pl.Int64))
    )
    related = (
        conform(metrics, SKILLS_SCHEMA)
        .filter(pl.col("skill").is_not_null() & (pl.col("skill") != ""))
        .group_by("skill")
        .agg(pl.col("metric_id").min())
    )
    averages = conform(values, VALUES_SCHEMA).select(
        "metric_id",
        "department_id",
        "period",
        metric_average=pl.when(pl.col("value").is_finite()).then(pl.col("value")),
    )
    return (
        wishers.join(headcount, on=["department_id", "period"])
        .with_columns(share=pl.col("wishers") / pl.col("headcount"))
        .join(related, on="skill", how="left")
        .join(averages, on=["metric_id", "department_id", "period"], how="left")
        .select(GROWTH_NEEDS_SCHEMA.names())
        .collect()
        .cast(dict(GROWTH_NEEDS_SCHEMA))
        .sort(["department_id", "period", "share", "skill"], descending=[False, False, True, False])
    )
