"""From the reader's strings to typed columns, every failure named by row and column.

Vectorised: a 1,000,000-row file is checked with a handful of Polars expressions, not a
Python loop.
"""

from __future__ import annotations

import polars as pl

from domain.importing.templates import Template, ValueType

ERROR_SCHEMA = {"row": pl.Int64, "column": pl.String, "message": pl.String}
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
PERIOD_PATTERN = r"^\d{4}-((0[1-9]|1[0-2])|Q[1-4])$"
# C0 control characters but tab, line feed and carriage return (which cells may hold): PostgreSQL text
# cannot store NUL, and none of them belongs in HR data (an XLSX's "_x0000_" is decoded into one)
CONTROL_PATTERN = r"[\x00-\x08\x0B\x0C\x0E-\x1F]"


class Checks:
    """Collects error rows: each check is a condition over the frame plus a message."""

    def __init__(self) -> None:
        self._parts: list[pl.DataFrame] = []

    def add(
        self, frame: pl.DataFrame, condition: pl.Expr, column: str | None, message: pl.Expr | str
    ) -> None:
        message_expr = pl.lit(message) if isinstance(message, str) else message
        part = frame.filter(condition.fill_null(False)).select(
            pl.col("row"),
            pl.lit(column, dtype=pl.String).alias("column"),
            message_expr.cast(pl.String).alias("message"),
        )
        if part.height:
            self._parts.append(part)

    def extend(self, errors: pl.DataFrame) -> None:
        if errors.height:
            self._parts.append(errors.select(ERROR_SCHEMA.keys()))

    def frame(self) -> pl.DataFrame:
        if not self._parts:
            return pl.DataFrame(schema=ERROR_SCHEMA)
        # the first problem found in a cell is the one worth reading ("not a number", not "required")
        errors = pl.concat(self._parts).unique(subset=["row", "column"], keep="first", maintain_order=True)
        return errors.sort("row", maintain_order=True)


def _number(raw: pl.Expr) -> pl.Expr:
    """Accepts ``1,234.5`` and ``8%`` (= 0.08) as HR spreadsheets write them."""
    text = raw.str.strip_chars().str.replace_all(",", "", literal=True)
    percent = text.str.ends_with("%")
    value = text.str.strip_suffix("%").str.strip_chars().cast(pl.Float64, strict=False)
    value = pl.when(percent).then(value / 100).otherwise(value)
    return pl.when(value.is_finite()).then(value)


def _date(raw: pl.Expr) -> pl.Expr:
    text = raw.str.strip_chars()
    return pl.coalesce(text.str.to_date(fmt, strict=False) for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"))


def parse_types(raw: pl.DataFrame, template: Template, checks: Checks) -> pl.DataFrame:
    """Typed columns under the same names; a value that does not parse becomes null and an error."""
    typed = []
    for column in template.columns:
        name, value = column.name, pl.col(column.name)
        control = value.str.extract(f"({CONTROL_PATTERN})").str.encode("hex").str.to_uppercase()
        checks.add(  # first, so it is the error shown for the cell (and its value is never echoed)
            raw,
            control.is_not_null(),
            name,
            pl.format("contains a control character (U+00{}) that cannot be stored", control),
        )
        if column.required:
            checks.add(raw, value.is_null(), name, f"{name} is required")
        if column.type is ValueType.NUMBER:
            parsed = _number(value)
            checks.add(
                raw, value.is_not_null() & parsed.is_null(), name, pl.format("not a number: '{}'", value)
            )
        elif column.type is ValueType.DATE:
            parsed = _date(value)
            checks.add(
                raw,
                value.is_not_null() & parsed.is_null(),
                name,
                pl.format("not a date (expected YYYY-MM-DD): '{}'", value),
            )
        elif column.type in (ValueType.PERIOD, ValueType.MONTH):
            normalised = value.str.strip_chars().str.to_uppercase()
            pattern, expected = (
                (MONTH_PATTERN, "a month YYYY-MM")
                if column.type is ValueType.MONTH
                else (PERIOD_PATTERN, "YYYY-MM or YYYY-Qn")
            )
            valid = normalised.str.contains(pattern)
            checks.add(
                raw,
                value.is_not_null() & ~valid,
                name,
                pl.format(f"invalid period '{{}}': expected {expected}", value),
            )
            parsed = pl.when(valid).then(normalised)
        else:
            parsed = value
        typed.append(parsed.alias(name))
    return raw.select(pl.col("row"), *typed)
