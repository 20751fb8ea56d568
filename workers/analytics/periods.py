"""Period arithmetic as Polars expressions (``YYYY-MM`` months, ``YYYY-Qn`` quarters)."""

from __future__ import annotations

import polars as pl


def quarter_of(period: pl.Expr) -> pl.Expr:
    """``YYYY-MM`` → ``YYYY-Qn``."""
    month = period.str.slice(5, 2).cast(pl.Int32)
    return pl.concat_str(period.str.slice(0, 4), pl.lit("-Q"), ((month - 1) // 3 + 1).cast(pl.String))


def previous_of(period: pl.Expr) -> pl.Expr:
    """The period before at the same grain: ``2026-01`` → ``2025-12``, ``2026-Q1`` → ``2025-Q4``."""
    year = period.str.slice(0, 4).cast(pl.Int32)
    is_quarter = period.str.slice(5, 1) == "Q"
    number = pl.when(is_quarter).then(period.str.slice(6, 1)).otherwise(period.str.slice(5, 2)).cast(pl.Int32)
    first = number == 1
    previous_year = pl.when(first).then(year - 1).otherwise(year).cast(pl.String)
    month = pl.when(first).then(12).otherwise(number - 1).cast(pl.String).str.zfill(2)
    quarter = pl.when(first).then(4).otherwise(number - 1).cast(pl.String)
    return (
        pl.when(is_quarter)
        .then(pl.concat_str(previous_year, pl.lit("-Q"), quarter))
        .otherwise(pl.concat_str(previous_year, pl.lit("-"), month))
    )


def period_end(period: pl.Expr) -> pl.Expr:
    """Last day of a ``YYYY-MM`` month or of a ``YYYY-Qn`` quarter's last month."""
    is_quarter = period.str.slice(5, 1) == "Q"
    month = (
        pl.when(is_quarter)
        .then(period.str.slice(6, 1).cast(pl.Int32, strict=False) * 3)
        .otherwise(period.str.slice(5, 2).cast(pl.Int32, strict=False))
    )
    return pl.date(period.str.slice(0, 4).cast(pl.Int32), month, 1).dt.month_end()


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.LazyFrame:
    """The expected columns and types: a database driver may type an all-null column as Null."""
    return frame.lazy().select(pl.col(name).cast(dtype) for name, dtype in schema.items())


# Integer periods: grouping and sorting on integers is several times faster than on strings, so
# the per-employee analytics key their rows by a SLOT — a month's index (year × 12 + month − 1,
# ≥ 0) or a quarter's (−1 − (year × 4 + quarter − 1), < 0) — and spell periods out at the end.


def month_slot(period: pl.Expr) -> pl.Expr:
    """``YYYY-MM`` → its month index."""
    return period.str.slice(0, 4).cast(pl.Int32) * 12 + period.str.slice(5, 2).cast(pl.Int32) - 1


def quarter_slot(month: pl.Expr) -> pl.Expr:
    """A month index → its quarter's slot."""
    return -1 - month // 3


def slot_period(slot: pl.Expr) -> pl.Expr:
    """A slot → ``YYYY-MM`` or ``YYYY-Qn``."""
    quarter = -1 - slot
    return (
        pl.when(slot >= 0)
        .then(
            pl.concat_str(
                (slot // 12).cast(pl.String), pl.lit("-"), (slot % 12 + 1).cast(pl.String).str.zfill(2)
            )
        )
        .otherwise(
            pl.concat_str((quarter // 4).cast(pl.String), pl.lit("-Q"), (quarter % 4 + 1).cast(pl.String))
        )
    )


def slot_end(slot: pl.Expr) -> pl.Expr:
    """The last day of a slot's period."""
    last_month = pl.when(slot >= 0).then(slot).otherwise((-1 - slot) * 3 + 2)
    return pl.date(last_month // 12, last_month % 12 + 1, 1).dt.month_end()


# Halves (``YYYY-Hn``) and years (``YYYY``): the programme metrics and appraisal cycles speak of
# them too. Months and quarters roll up into them; nothing is observed in them.


def half_of(period: pl.Expr) -> pl.Expr:
    """``YYYY-MM`` or ``YYYY-Qn`` → ``YYYY-Hn``."""
    is_quarter = period.str.slice(5, 1) == "Q"
    first_half = (
        pl.when(is_quarter).then(period.str.slice(6, 1) <= "2").otherwise(period.str.slice(5, 2) <= "06")
    )
    return pl.concat_str(
        period.str.slice(0, 4), pl.when(first_half).then(pl.lit("-H1")).otherwise(pl.lit("-H2"))
    )


def enclosing(period: pl.Expr) -> pl.Expr:
    """The periods a month or a quarter lies in, itself included, as a list: ``2026-10`` →
    ``[2026-10, 2026-Q4, 2026-H2, 2026]``, ``2026-Q4`` → ``[2026-Q4, 2026-H2, 2026]``."""
    is_quarter = period.str.slice(5, 1) == "Q"
    rolled = [half_of(period), period.str.slice(0, 4)]
    return (
        pl.when(is_quarter)
        .then(pl.concat_list(period, *rolled))
        .otherwise(pl.concat_list(period, quarter_of(period), *rolled))
    )


def month_bounds(period: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The first and last month index (``month_slot``) of a period of any grain."""
    year = period.str.slice(0, 4).cast(pl.Int32)
    kind, number = period.str.slice(5, 1), period.str.slice(6, 1).cast(pl.Int32, strict=False)
    month = period.str.slice(5, 2).cast(pl.Int32, strict=False)
    first = (
        pl.when(period.str.len_chars() == 4)
        .then(1)
        .when(kind == "Q")
        .then(3 * number - 2)
        .when(kind == "H")
        .then(6 * number - 5)
        .otherwise(month)
    )
    last = (
        pl.when(period.str.len_chars() == 4)
        .then(12)
        .when(kind == "Q")
        .then(3 * number)
        .when(kind == "H")
        .then(6 * number)
        .otherwise(month)
    )
    return year * 12 + first - 1, year * 12 + last - 1
