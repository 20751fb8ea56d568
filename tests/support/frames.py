"""Frame builders shared by the pure-analytics tests: the observation schema is the roll-up's own."""

from __future__ import annotations

import polars as pl

from workers.analytics.rollup import METRIC_KINDS_SCHEMA, OBSERVATIONS_SCHEMA


def observations(*rows) -> pl.DataFrame:
    """rows: (metric_id, employee_id, period, value, numerator, denominator), department 1."""
    return pl.DataFrame(
        [(m, 1, e, p, v, n, d) for m, e, p, v, n, d in rows], schema=OBSERVATIONS_SCHEMA, orient="row"
    )


def metrics(*rows) -> pl.DataFrame:
    """rows: (metric_id, direction, aggregation) — how each metric is judged and rolled up."""
    return pl.DataFrame(rows, schema=METRIC_KINDS_SCHEMA, orient="row")
