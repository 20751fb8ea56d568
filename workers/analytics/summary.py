"""A data summary: what the database holds, so an operator sees the pipeline end to end."""

from __future__ import annotations

import polars as pl


def summarise_observations(per_metric: pl.DataFrame) -> dict[str, object]:
    """Totals over per-metric observation counts.

    ``per_metric`` has one row per metric: ``rows``, ``employee_rows``, ``first_period`` and
    ``last_period`` (``YYYY-MM``, so string order is time order). The database groups, so
    only one row per metric crosses the wire whatever the table's size.
    """
    if per_metric.is_empty():
        return {"rows": 0, "employee_rows": 0, "metrics": 0, "first_period": None, "last_period": None}
    totals = per_metric.select(
        rows=pl.col("rows").sum(),
        employee_rows=pl.col("employee_rows").sum(),
        metrics=pl.len(),
        first_period=pl.col("first_period").min(),
        last_period=pl.col("last_period").max(),
    ).row(0, named=True)
    return {key: int(value) if isinstance(value, int) else value for key, value in totals.items()}
