"""Individual figures: each employee's bad mass and value per metric × department × period.

Drivers weigh each employee's bad mass and top performers rank each employee's value, both per
month and per quarter. Rolling the observation rows up to employee × quarter is the costly step
of both (10M rows become 13M individual periods), so a recompute does it once, here, and hands
the frame to ``workers.analytics.drivers`` and ``workers.analytics.performers``.

Months are not grouped: the observation table holds at most one row per metric × employee ×
month (its partial unique index), which the month rows rely on. Periods are SLOTS (integers,
``workers.analytics.periods``): grouping and sorting on integers is several times faster than
on strings.

- ``mass``: the row's bad mass as ``workers.analytics.drivers`` defines it (0 when it cannot
  be computed); a quarter's is the sum of its months'.
- ``value``: the employee's number for the period, rolled up by the metric's aggregation as
  department values are — Σnumerator / Σdenominator for a ratio whose months all carry both
  (and Σdenominator > 0), the sum for a sum, the mean otherwise — over the months with a finite
  value; null when there is none.
- ``part``: the partition (metric × department × slot) as one integer, which groups, windows
  and sorts about twice as fast as the three columns it packs (``_part``).
- ``score``: what ranks performers, lower is better — the value negated when higher is better,
  rounded to 12 significant digits (summing in another order moves the last bits, which must
  not reorder a tie); null when the value is or the metric's direction is unknown.
"""

from __future__ import annotations

import polars as pl

from domain.models import Aggregation, Direction
from workers.analytics.periods import conform, month_slot, quarter_slot
from workers.analytics.rollup import OBSERVATIONS_SCHEMA

SLOT_KEYS = ["metric_id", "department_id", "slot"]
PART = "part"
# part = metric_id << 40 | department_id << 16 | slot + 2**15, when the ids fit (checked)
METRIC_BITS, DEPARTMENT_BITS, SLOT_BITS = 23, 24, 16
NOISE = 1e-12  # relative: below it, a value and its department's mean are equal
SIGNIFICANT = 12

METRICS_SCHEMA = pl.Schema({"metric_id": pl.Int64, "direction": pl.String, "aggregation": pl.String})
INDIVIDUAL_SCHEMA = pl.Schema(
    {
        "metric_id": pl.Int64,
        "department_id": pl.Int64,
        "slot": pl.Int32,
        PART: pl.Int64,
        "employee_id": pl.Int64,
        "mass": pl.Float64,
        "value": pl.Float64,
        "score": pl.Float64,
    }
)

# the metric's kind as booleans on each row: cheaper to carry and test than its strings
HIGHER, LOWER, RATIO, SUM = (pl.col(name) for name in ("higher", "lower", "ratio", "sum"))


def individual_periods(observations: pl.DataFrame, metrics: pl.DataFrame) -> pl.DataFrame:
    """One row per metric × department × slot × employee with an employee row; metrics unknown
    to ``metrics`` are skipped."""
    packs, kinds = _packs(observations), _kinds(metrics)
    rows = (
        conform(observations, OBSERVATIONS_SCHEMA)
        .filter(pl.col("employee_id").is_not_null())
        .join(kinds, on="metric_id", how="inner")
        .with_columns(slot=_slots(observations))
        .with_columns(
            _part(pl.col("slot"), packs),
            finite=pl.col("value").is_finite().fill_null(False),
            parts=pl.col("numerator").is_not_null() & pl.col("denominator").is_not_null(),
        )
        .with_columns(  # what a quarter sums: the months with a finite value
            finite_value=pl.when("finite").then(pl.col("value")),
            finite_numerator=pl.when("finite").then(pl.col("numerator")),
            finite_denominator=pl.when("finite").then(pl.col("denominator")),
            parts_or_skipped=pl.col("parts") | ~pl.col("finite"),
        )
        .with_columns(_bad_mass())
        .collect()
        .lazy()  # read twice: as months, and grouped into quarters
    )
    month_value = (
        pl.when(~pl.col("finite"))
        .then(None)
        .when(RATIO & pl.col("parts") & (pl.col("denominator") > 0))
        .then(pl.col("numerator") / pl.col("denominator"))
        .otherwise(pl.col("value"))
    )
    months = rows.select(*SLOT_KEYS, PART, "employee_id", "mass", "higher", "lower", value=month_value)
    quarters = _quarters(rows, kinds, packs)
    frame = pl.concat([months, quarters], how="diagonal_relaxed")
    if not packs:  # dense ranks are numbered per frame: number months and quarters together
        frame = frame.with_columns(_part(pl.col("slot"), packs))
    return (
        frame.with_columns(score=_score())
        .select(INDIVIDUAL_SCHEMA.names())
        .collect()
        .cast(dict(INDIVIDUAL_SCHEMA))
    )


def _kinds(metrics: pl.DataFrame) -> pl.LazyFrame:
    kinds = conform(metrics, METRICS_SCHEMA)
    return kinds.select(
        "metric_id",
        higher=(pl.col("direction") == Direction.HIGHER_IS_BETTER.value).fill_null(False),
        lower=(pl.col("direction") == Direction.LOWER_IS_BETTER.value).fill_null(False),
        ratio=(pl.col("aggregation") == Aggregation.RATIO.value).fill_null(False),
        sum=(pl.col("aggregation") == Aggregation.SUM.value).fill_null(False),
    )


def _packs(observations: pl.DataFrame) -> bool:
    """Whether ``observations``' ids fit ``PART``'s bits (any real organisation's do)."""
    ids = observations.select(
        low=pl.min_horizontal(pl.col("metric_id").min(), pl.col("department_id").min()),
        metrics=pl.col("metric_id").max(),
        departments=pl.col("department_id").max(),
    ).row(0, named=True)
    return ids["metrics"] is None or (
        ids["low"] >= 0 and ids["metrics"] < 2**METRIC_BITS and ids["departments"] < 2**DEPARTMENT_BITS
    )


def _part(slot: pl.Expr, packs: bool) -> pl.Expr:
    """``PART`` of metric_id, department_id and ``slot``: their bits side by side when the ids
    fit (``_packs``), else a dense rank of the three within the frame (slower, same grouping)."""
    if not packs:
        return (
            pl.struct("metric_id", "department_id", slot.alias("slot"))
            .rank("dense")
            .cast(pl.Int64)
            .alias(PART)
        )
    return (
        pl.col("metric_id").cast(pl.Int64) * 2 ** (DEPARTMENT_BITS + SLOT_BITS)
        + pl.col("department_id").cast(pl.Int64) * 2**SLOT_BITS
        + (slot.cast(pl.Int64) + 2 ** (SLOT_BITS - 1))
    ).alias(PART)


def _unpacked() -> list[pl.Expr]:
    """metric_id, department_id and slot back from a packed ``PART``."""
    part = pl.col(PART)
    return [
        (part // 2 ** (DEPARTMENT_BITS + SLOT_BITS)).alias("metric_id"),
        (part // 2**SLOT_BITS % 2**DEPARTMENT_BITS).alias("department_id"),
        (part % 2**SLOT_BITS - 2 ** (SLOT_BITS - 1)).cast(pl.Int32).alias("slot"),
    ]


def _slots(observations: pl.DataFrame) -> pl.Expr:
    """Each row's month slot, parsed once per distinct period rather than once per row."""
    periods = observations.get_column("period").unique().drop_nulls()
    slots = pl.DataFrame({"period": periods}).select(month_slot(pl.col("period"))).to_series()
    return pl.col("period").replace_strict(periods, slots, return_dtype=pl.Int32)


def _bad_mass() -> pl.Expr:
    mean = pl.col("finite_value").mean().over(PART)
    # at the mean, up to rounding (the mean summed in another order): no distance
    distance = (
        pl.when((mean - pl.col("value")).abs() > NOISE * mean.abs())
        .then(mean - pl.col("value"))
        .otherwise(0.0)
    )
    mass = (
        pl.when(RATIO & pl.col("parts") & LOWER)
        .then(pl.col("numerator"))
        .when(RATIO & pl.col("parts") & HIGHER)
        .then(pl.col("denominator") - pl.col("numerator"))
        .when(SUM & LOWER)
        .then(pl.col("value"))
        .when(HIGHER)
        .then(distance)
        .when(LOWER)
        .then(-distance)
        .clip(lower_bound=0)
    )
    return pl.when(mass.is_finite()).then(mass).otherwise(0.0).alias("mass")


def _quarters(rows: pl.LazyFrame, kinds: pl.LazyFrame, packs: bool) -> pl.LazyFrame:
    """Months summed into quarters per employee: plain sums (Polars' fast path) over the months
    with a finite value, the metric's rule applied after."""
    quarter = quarter_slot(pl.col("slot")).cast(pl.Int32)
    keys = [_part(quarter, packs)] if packs else ["metric_id", "department_id", quarter.alias("slot")]
    sums = rows.group_by(*keys, "employee_id").agg(
        mass=pl.col("mass").sum(),
        months=pl.col("finite").sum(),
        parts=pl.col("parts_or_skipped").all(),
        numerator=pl.col("finite_numerator").sum(),
        denominator=pl.col("finite_denominator").sum(),
        total=pl.col("finite_value").sum(),
        mean=pl.col("finite_value").mean(),
    )
    if packs:
        sums = sums.with_columns(_unpacked())
    value = (
        pl.when(pl.col("months") == 0)
        .then(None)
        .when(RATIO & pl.col("parts") & (pl.col("denominator") > 0))
        .then(pl.col("numerator") / pl.col("denominator"))
        .when(SUM)
        .then(pl.col("total"))
        .otherwise(pl.col("mean"))
    )
    return sums.join(kinds, on="metric_id").select(
        *SLOT_KEYS, *([PART] if packs else []), "employee_id", "mass", "higher", "lower", value=value
    )


def _score() -> pl.Expr:
    signed = pl.when(HIGHER).then(-pl.col("value")).when(LOWER).then(pl.col("value"))
    return signed.round_sig_figs(SIGNIFICANT)


def best(rows: pl.LazyFrame, keep: int | pl.Expr) -> pl.LazyFrame:
    """The first ``keep`` rows of each partition by ``order`` (lowest first), then employee_id,
    in that order.

    Sorting every row costs seconds at 10M rows; ranking within partitions (ties sharing the
    lowest rank) keeps every row that can be among the first ``keep`` and few others, so only
    those are sorted. ``keep`` may be an expression evaluated per partition.
    """
    candidates = rows.filter(pl.col("order").rank("min").over(PART) <= keep)
    return (
        candidates.sort([PART, "order", "employee_id"])
        .with_columns(rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over(PART))
        .filter(pl.col("rank") <= keep)
    )
