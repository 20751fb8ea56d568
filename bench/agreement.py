"""Do a baseline's drivers and top performers equal the product's? Row by row, by natural key.

Numbers must agree within 1e-6 relative (sums in another order move the last bits), and so
must ``people``. One difference is allowed because it is not one: the order of a TIE. The
product ranks top employees and performers on values rounded to 12 significant digits, then by
employee id; a baseline that sums in another order can see two equal values a few ulps apart
and put them the other way round. Such a swap is counted as a tie only when it is shown to be
one — the values involved are equal within ``TIE`` relative:

- drivers: an employee segment kept on one side only must have the share of the smallest
  employee segment the other side kept in that partition, and both sides keep as many;
- performers: the values must agree rank by rank and employee by employee; an employee at
  another rank must have the value the product has at that rank, and one kept on one side only
  must have the value of the last performer the other side kept.
"""

from __future__ import annotations

import polars as pl

NEAR = 1e-6
TIE = 1e-10
DRIVER_KEYS = ["metric_id", "department_id", "period", "dimension", "segment"]
PERFORMER_KEYS = ["metric_id", "department_id", "period", "rank"]
PARTITION = ["metric_id", "department_id", "period"]
DRIVERS_SCHEMA = {
    "metric_id": pl.Int64, "department_id": pl.Int64, "period": pl.String, "dimension": pl.String,
    "segment": pl.String, "share": pl.Float64, "people": pl.Int64,
}  # fmt: skip
PERFORMERS_SCHEMA = {
    "metric_id": pl.Int64, "department_id": pl.Int64, "period": pl.String, "employee_id": pl.Int64,
    "value": pl.Float64, "rank": pl.Int64,
}  # fmt: skip


def near(a: pl.Expr, b: pl.Expr, tolerance: float) -> pl.Expr:
    return (a - b).abs() <= tolerance * pl.max_horizontal(a.abs(), b.abs(), pl.lit(1e-12))


def _report(product: pl.DataFrame, baseline: pl.DataFrame, differing: int, ties: int) -> dict:
    return {
        "product_rows": product.height,
        "rows": baseline.height,
        "differing": differing,
        "ties": ties,
        "matches": product.height == baseline.height and differing == 0,
    }


def drivers(product: pl.DataFrame, baseline: pl.DataFrame) -> dict:
    product, baseline = product.cast(DRIVERS_SCHEMA), baseline.cast(DRIVERS_SCHEMA)
    joined = product.join(baseline, on=DRIVER_KEYS, how="full", coalesce=True, suffix="_baseline")
    both = joined.filter(pl.col("share").is_not_null() & pl.col("share_baseline").is_not_null())
    numbers = both.filter(
        ~near(pl.col("share"), pl.col("share_baseline"), NEAR)
        | (pl.col("people") != pl.col("people_baseline"))
    ).height

    def cut(frame: pl.DataFrame, name: str) -> pl.DataFrame:  # per partition: employees kept, smallest share
        return (
            frame.filter(pl.col("dimension") == "employee")
            .group_by(PARTITION)
            .agg(pl.len().alias(f"kept_{name}"), pl.col("share").min().alias(f"cut_{name}"))
        )

    one_side = (
        joined.filter(pl.col("share").is_null() | pl.col("share_baseline").is_null())
        .join(cut(product, "product"), on=PARTITION, how="left")
        .join(cut(baseline, "baseline"), on=PARTITION, how="left")
    )
    tie = (
        (pl.col("dimension") == "employee")
        & (pl.col("kept_product") == pl.col("kept_baseline"))
        & pl.when(pl.col("share").is_null())
        .then(near(pl.col("share_baseline"), pl.col("cut_product"), TIE))
        .otherwise(near(pl.col("share"), pl.col("cut_baseline"), TIE))
    ).fill_null(False)
    ties = one_side.filter(tie).height
    return _report(product, baseline, numbers + one_side.height - ties, ties)


def performers(product: pl.DataFrame, baseline: pl.DataFrame) -> dict:
    product, baseline = product.cast(PERFORMERS_SCHEMA), baseline.cast(PERFORMERS_SCHEMA)
    value, other = pl.col("value"), pl.col("value_baseline")
    # rank by rank: as many kept, the same values in the same order
    by_rank = product.join(baseline, on=PERFORMER_KEYS, how="full", coalesce=True, suffix="_baseline")
    ranks = by_rank.filter(value.is_null() | other.is_null() | ~near(value, other, NEAR)).height
    # employee by employee: the same value, and a place of their own unless they tie
    by_employee = product.join(
        baseline, on=[*PARTITION, "employee_id"], how="full", coalesce=True, suffix="_baseline"
    )
    both = by_employee.filter(value.is_not_null() & other.is_not_null())
    values = both.filter(~near(value, other, NEAR)).height
    at_rank = product.select(*PARTITION, rank_baseline="rank", value_there="value")
    moved = both.filter(pl.col("rank") != pl.col("rank_baseline")).join(
        at_rank, on=[*PARTITION, "rank_baseline"], how="left"
    )  # where the baseline put them, the product has an equal value: a tie
    moved_ties = moved.filter(near(value, pl.col("value_there"), TIE).fill_null(False)).height

    def cut(frame: pl.DataFrame, name: str) -> pl.DataFrame:  # per partition: the last value kept
        return frame.group_by(PARTITION).agg(pl.col("value").sort_by("rank").last().alias(f"cut_{name}"))

    one_side = (
        by_employee.filter(value.is_null() | other.is_null())
        .join(cut(product, "product"), on=PARTITION, how="left")
        .join(cut(baseline, "baseline"), on=PARTITION, how="left")
    )
    tie = (
        pl.when(value.is_null())
        .then(near(other, pl.col("cut_product"), TIE))
        .otherwise(near(value, pl.col("cut_baseline"), TIE))
        .fill_null(False)
    )
    one_side_ties = one_side.filter(tie).height
    differing = ranks + values + moved.height - moved_ties + one_side.height - one_side_ties
    return _report(product, baseline, differing, moved_ties + one_side_ties)
