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
  and sorts about twice as fast as the three columns it packs (``Packing``).
- ``score``: what ranks performers, lower is better — the value negated when higher is better,
  rounded to 12 significant digits (summing in another order moves the last bits, which must
  not reorder a tie); null when the value is or the metric's direction is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from domain.vocabulary import Aggregation, Direction
from workers.analytics.periods import conform, month_slot, quarter_slot
from workers.analytics.rollup import METRIC_KINDS_SCHEMA, OBSERVATIONS_SCHEMA

SLOT_KEYS = ["metric_id", "department_id", "slot"]
PART = "part"
ROOM = 62  # bits a packed key may use: it stays a non-negative Int64
NOISE = 1e-12  # relative: below it, a value and its department's mean are equal
SIGNIFICANT = 12

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
    periods = observations.get_column("period").unique().drop_nulls()
    packing, kinds = Packing.of(observations, periods), _kinds(metrics)
    rows = (
        conform(observations, OBSERVATIONS_SCHEMA)
        .filter(pl.col("employee_id").is_not_null())
        .join(kinds, on="metric_id", how="inner")
        .with_columns(slot=_slots(periods))
        .with_columns(
            packing.part(pl.col("slot")),
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
    quarters = _quarters(rows, kinds, packing)
    frame = pl.concat([months, quarters], how="diagonal_relaxed")
    if not packing.packs:  # dense ranks are numbered per frame: number months and quarters together
        frame = frame.with_columns(packing.part(pl.col("slot")))
    return (
        frame.with_columns(score=_score())
        .select(INDIVIDUAL_SCHEMA.names())
        .collect()
        .cast(dict(INDIVIDUAL_SCHEMA))
    )


def _kinds(metrics: pl.DataFrame) -> pl.LazyFrame:
    kinds = conform(metrics, METRIC_KINDS_SCHEMA)
    return kinds.select(
        "metric_id",
        higher=(pl.col("direction") == Direction.HIGHER_IS_BETTER.value).fill_null(False),
        lower=(pl.col("direction") == Direction.LOWER_IS_BETTER.value).fill_null(False),
        ratio=(pl.col("aggregation") == Aggregation.RATIO.value).fill_null(False),
        sum=(pl.col("aggregation") == Aggregation.SUM.value).fill_null(False),
    )


@dataclass(frozen=True)
class Field:
    """One id packed into a key: its value minus ``low``, in ``bits`` bits."""

    low: int
    bits: int

    def of(self, expr: pl.Expr) -> pl.Expr:
        return expr.cast(pl.Int64) - self.low


@dataclass(frozen=True)
class Packing:
    """How a frame's ids pack into one Int64: ``PART`` (metric, department, slot) and, for the
    quarter roll-up, ``PART`` with the employee.

    Each id is stored as its distance from the frame's smallest, in as many bits as the frame's
    range needs: an organisation with a thousand metrics, ten thousand departments, a million
    employees and decades of periods needs 59. One integer key groups faster than two (the
    quarter roll-up in about half the CPU time: ``bench/RESULTS.md``). A frame whose
    ranges need more than ``ROOM`` bits falls back to a dense rank of the columns (``packs``
    false: same grouping, slower), or, for the roll-up, to grouping on two columns.
    """

    metric: Field
    department: Field
    slot: Field
    employee: Field

    @classmethod
    def of(cls, observations: pl.DataFrame, periods: pl.Series) -> Packing:
        """The packing of ``observations``, whose distinct periods are ``periods``."""
        ranges = observations.select(
            *(
                expr
                for name in ("metric_id", "department_id", "employee_id")
                for expr in (
                    pl.col(name).min().alias(f"{name}_low"),
                    pl.col(name).max().alias(f"{name}_high"),
                )
            ),
        ).row(0, named=True)

        def field(low: int | None, high: int | None) -> Field:
            return Field(0, 0) if low is None or high is None else Field(low, (high - low).bit_length())

        month = pl.select(month_slot(pl.lit(periods, pl.String)).max()).item()
        # slots run from the latest month's quarter (most negative) to the latest month
        slot = Field(0, 0) if month is None else Field(-1 - month // 3, (month + 1 + month // 3).bit_length())
        return cls(
            metric=field(ranges["metric_id_low"], ranges["metric_id_high"]),
            department=field(ranges["department_id_low"], ranges["department_id_high"]),
            slot=slot,
            employee=field(ranges["employee_id_low"], ranges["employee_id_high"]),
        )

    @property
    def packs(self) -> bool:
        """Whether ``PART`` fits an Int64 (``part`` packs); else it is a dense rank."""
        return self.metric.bits + self.department.bits + self.slot.bits <= ROOM

    @property
    def packs_employee(self) -> bool:
        """Whether ``PART`` and the employee fit one Int64 together (``with_employee``)."""
        return (
            self.packs
            and self.metric.bits + self.department.bits + self.slot.bits + self.employee.bits <= ROOM
        )

    def part(self, slot: pl.Expr) -> pl.Expr:
        """``PART`` of metric_id, department_id and ``slot``: their bits side by side when they
        fit, else a dense rank of the three within the frame."""
        if not self.packs:
            return (
                pl.struct("metric_id", "department_id", slot.alias("slot"))
                .rank("dense")
                .cast(pl.Int64)
                .alias(PART)
            )
        return (
            self.metric.of(pl.col("metric_id")) * 2 ** (self.department.bits + self.slot.bits)
            + self.department.of(pl.col("department_id")) * 2**self.slot.bits
            + self.slot.of(slot)
        ).alias(PART)

    def unpacked(self) -> list[pl.Expr]:
        """metric_id, department_id and slot back from a packed ``PART``."""
        part = pl.col(PART)
        return [
            (part // 2 ** (self.department.bits + self.slot.bits) + self.metric.low).alias("metric_id"),
            (part // 2**self.slot.bits % 2**self.department.bits + self.department.low).alias(
                "department_id"
            ),
            (part % 2**self.slot.bits + self.slot.low).cast(pl.Int32).alias("slot"),
        ]

    def with_employee(self, part: pl.Expr) -> pl.Expr:
        """A packed ``part`` and employee_id as one integer (``packs_employee``)."""
        return part * 2**self.employee.bits + self.employee.of(pl.col("employee_id"))

    def without_employee(self, key: pl.Expr) -> list[pl.Expr]:
        """``PART`` and employee_id back from ``with_employee``."""
        return [
            (key // 2**self.employee.bits).alias(PART),
            (key % 2**self.employee.bits + self.employee.low).alias("employee_id"),
        ]


def _slots(periods: pl.Series) -> pl.Expr:
    """Each row's month slot, parsed once per distinct period (``periods``) rather than once per row."""
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


def _quarters(rows: pl.LazyFrame, kinds: pl.LazyFrame, packing: Packing) -> pl.LazyFrame:
    """Months summed into quarters per employee: plain sums (Polars' fast path) over the months
    with a finite value, on one integer key when the ids pack, the metric's rule applied after."""
    quarter = quarter_slot(pl.col("slot")).cast(pl.Int32)
    if packing.packs_employee:
        keys = [packing.with_employee(packing.part(quarter)).alias("key")]
    elif packing.packs:
        keys = [packing.part(quarter), "employee_id"]
    else:
        keys = ["metric_id", "department_id", quarter.alias("slot"), "employee_id"]
    sums = rows.group_by(*keys).agg(
        mass=pl.col("mass").sum(),
        months=pl.col("finite").sum(),
        parts=pl.col("parts_or_skipped").all(),
        numerator=pl.col("finite_numerator").sum(),
        denominator=pl.col("finite_denominator").sum(),
        total=pl.col("finite_value").sum(),
        mean=pl.col("finite_value").mean(),
    )
    if packing.packs_employee:
        sums = sums.with_columns(packing.without_employee(pl.col("key"))).drop("key")
    if packing.packs:
        sums = sums.with_columns(packing.unpacked())
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
        *SLOT_KEYS, *([PART] if packing.packs else []), "employee_id", "mass", "higher", "lower", value=value
    )


def _score() -> pl.Expr:
    signed = pl.when(HIGHER).then(-pl.col("value")).when(LOWER).then(pl.col("value"))
    return signed.round_sig_figs(SIGNIFICANT)


def best(rows: pl.LazyFrame, keep: int | pl.Expr) -> pl.LazyFrame:
    """The first ``keep`` rows of each partition by ``order`` (lowest first, never null), then
    employee_id, in that order.

    Sorting every row would be the costliest step. A row can be among the first ``keep`` only if
    its ``order`` is at most the partition's ``keep``-th lowest, which a selection (not a sort)
    finds per partition: only those candidates, ties included, are sorted. ``keep`` may be an
    expression, constant within each partition.
    """
    count = keep if isinstance(keep, int) else keep.first()
    candidates = rows.filter(pl.col("order") <= pl.col("order").bottom_k(count).max().over(PART))
    return (
        candidates.sort([PART, "order", "employee_id"])
        .with_columns(rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over(PART))
        .filter(pl.col("rank") <= keep)
    )
