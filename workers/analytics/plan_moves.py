"""Which plans new data moved: their latest progress point is new, or its value changed.

A recompute rewrites every plan's progress on its metrics, most of them to the same numbers;
only the plans whose latest standing differs from before are news for their people (a progress
report, ``domain.notifications.progress``). Values are compared to 1e-9 relative, so a rebuild
that computes the same mean in another order is not news.
"""

from __future__ import annotations

import polars as pl

LATEST_SCHEMA = pl.Schema({"plan_id": pl.Int64, "period": pl.String, "actual": pl.Float64})
TOLERANCE = 1e-9


def latest(points: pl.DataFrame) -> pl.DataFrame:
    """Each plan's latest progress point (plan_id, period, actual)."""
    return (
        points.select(LATEST_SCHEMA.names())
        .cast(dict(LATEST_SCHEMA))
        .sort("plan_id", "period")
        .group_by("plan_id", maintain_order=True)
        .last()
    )


def moved(before: pl.DataFrame, after: pl.DataFrame) -> list[int]:
    """The plans whose latest point in ``after`` is absent from ``before`` or differs from it
    (both as :func:`latest` returns them), by id. A plan that lost its points is not news."""
    joined = after.join(before, on="plan_id", how="left", suffix="_before")
    changed = (
        pl.col("period_before").is_null()
        | (pl.col("period") != pl.col("period_before"))
        | (
            (pl.col("actual") - pl.col("actual_before")).abs()
            > TOLERANCE * pl.col("actual_before").abs().clip(1.0)
        )
    )
    return sorted(joined.filter(changed).get_column("plan_id").to_list())
