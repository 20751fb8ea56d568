"""Plausible ranges of metric values: a value outside its metric's range is a row error.

A metric declares ``min``/``max`` in the metrics template. Without them a percent metric
(unit ``%``) is a fraction from 0 to 1 — so ``8`` for an 8% complaint rate is refused with a
hint ("write 0.08 or 8%") instead of being imported as 800% — and any other metric is unbounded.
"""

from __future__ import annotations

import polars as pl

from domain.importing.parsing import Checks
from domain.vocabulary import PERCENT

PERCENT_UNITS = {PERCENT, "％", "percent", "百分比"}  # stored as PERCENT


def percent_unit(unit: pl.Expr) -> pl.Expr:
    """The unit with every way of writing "percent" made ``%``."""
    return (
        pl.when(unit.str.strip_chars().str.to_lowercase().is_in(list(PERCENT_UNITS)))
        .then(pl.lit(PERCENT))
        .otherwise(unit)
    )


def with_bounds(metrics: pl.DataFrame) -> pl.DataFrame:
    """``metrics`` (unit, min_value, max_value) with ``_low``/``_high``: the range values are
    checked against, defaults included (null = unbounded on that side)."""
    percent = pl.col("unit") == PERCENT
    return metrics.with_columns(
        pl.coalesce("min_value", pl.when(percent).then(pl.lit(0.0))).alias("_low"),
        pl.coalesce("max_value", pl.when(percent).then(pl.lit(1.0))).alias("_high"),
    )


def shown(number: pl.Expr) -> pl.Expr:
    """A number as people wrote it: ``8`` not ``8.0``, ``0.08`` not ``0.08000000000000002``."""
    rounded = number.round(6)
    whole = rounded == rounded.round(0)
    return pl.when(whole).then(rounded.cast(pl.Int64).cast(pl.String)).otherwise(rounded.cast(pl.String))


def check_range(frame: pl.DataFrame, column: str, checks: Checks) -> None:
    """Values of ``column`` outside the range of the row's metric (``frame`` carries the
    metric's ``metric_code``, ``unit``, ``_low`` and ``_high``)."""
    value, low, high = pl.col(column), pl.col("_low"), pl.col("_high")
    outside = (low.is_not_null() & (value < low)) | (high.is_not_null() & (value > high))
    as_percent = value / 100
    looks_like_percent = (
        (pl.col("unit") == PERCENT)
        & (value > 1)
        & (value <= 100)
        & (low.is_null() | (as_percent >= low))
        & (high.is_null() | (as_percent <= high))
    )
    bounds = pl.format(
        "{} to {}",
        pl.when(low.is_null()).then(pl.lit("−∞")).otherwise(shown(low)),
        pl.when(high.is_null()).then(pl.lit("∞")).otherwise(shown(high)),
    )
    message = (
        pl.when(looks_like_percent)
        .then(
            pl.format(
                "{} looks like a percent: write {} or {}%", shown(value), shown(as_percent), shown(value)
            )
        )
        .otherwise(
            pl.format(
                "{} is outside the plausible range of {} ({})", shown(value), pl.col("metric_code"), bounds
            )
        )
    )
    checks.add(frame, value.is_not_null() & outside, column, message)
