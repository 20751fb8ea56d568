"""A person's standing among their department's people on each metric, in one period.

The workshop's question — "why is my conversion rate 5% below the average?" — needs a person's
own value next to their colleagues' mean and their rank. Pure Polars: it takes the individual
figures of one department and one period (``workers.analytics.individual``: each person's value
rolled up by the metric's aggregation, and the direction-aware ``score``, lower is better) and
gives, per metric:

- ``people``: the colleagues with a finite value (the person included);
- ``department_average``: the mean of their values — of people, unweighted, unlike the
  department's own value, which a ratio metric pools;
- ``value`` and ``rank``: the person's value and place, 1 the best; equal scores share the
  best place of their tie (values 10, 8, 8, 5 rank 1, 2, 2, 4); null without a value of theirs.
"""

from __future__ import annotations

import polars as pl

from workers.analytics.individual import INDIVIDUAL_SCHEMA
from workers.analytics.periods import conform

STANDING_SCHEMA = pl.Schema(
    {
        "metric_id": pl.Int64,
        "people": pl.Int64,
        "department_average": pl.Float64,
        "value": pl.Float64,
        "rank": pl.Int64,
    }
)


def standings(individual: pl.DataFrame, employee_id: int) -> pl.DataFrame:
    """One row per metric of ``individual`` (one department, one period), by metric id."""
    valid = (
        conform(individual, INDIVIDUAL_SCHEMA)
        .filter(pl.col("value").is_finite() & pl.col("score").is_not_null())
        .collect()
    )
    per_metric = valid.group_by("metric_id").agg(
        people=pl.len().cast(pl.Int64), department_average=pl.col("value").mean()
    )
    own = (
        valid.with_columns(rank=pl.col("score").rank("min").over("metric_id").cast(pl.Int64))
        .filter(pl.col("employee_id") == employee_id)
        .select("metric_id", "value", "rank")
    )
    return per_metric.join(own, on="metric_id", how="left").select(STANDING_SCHEMA.names()).sort("metric_id")
