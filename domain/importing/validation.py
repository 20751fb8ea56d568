"""Validate a whole file before anything is written: parse, apply the kind's rules, find
conflicting duplicates, and reject rows that lean on rejected rows of the same file."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from domain.importing.parsing import ERROR_SCHEMA, Checks, parse_types
from domain.importing.references import References
from domain.importing.rules import RULES
from domain.importing.templates import TEMPLATES, ImportKind

SEEN_SCHEMA = {"_key": pl.UInt64, "_first_row": pl.Int64, "_first_content": pl.UInt64}


@dataclass
class Validated:
    kind: ImportKind
    rows_read: int
    valid: pl.DataFrame  # typed, normalised, ids resolved; one row per natural key
    errors: pl.DataFrame  # row, column, message — sorted by row
    warnings: list[str] = field(default_factory=list)
    seen: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=SEEN_SCHEMA))

    @property
    def rejected(self) -> int:
        return self.errors.get_column("row").n_unique()


def natural_key(kind: ImportKind) -> list[pl.Expr]:
    """The columns that identify a row; department-level observations key on the department."""
    if kind is ImportKind.OBSERVATIONS:
        return [
            pl.col("metric_code"),
            pl.col("period"),
            pl.col("employee_id"),
            pl.when(pl.col("employee_id").is_null())
            .then(pl.col("department_code"))
            .alias("department_level"),
        ]
    if kind is ImportKind.FEEDBACK:
        return [pl.col("fingerprint")]
    return [pl.col(name) for name in TEMPLATES[kind].key]


def content_columns(kind: ImportKind) -> list[str]:
    """What a row says, normalised: equal content means the same data whatever the file's form."""
    names = TEMPLATES[kind].names
    return [("themes" if name == "tags" else name) for name in names]


def _duplicates(
    kind: ImportKind, frame: pl.DataFrame, seen: pl.DataFrame, checks: Checks, warnings: list[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Drop exact repeats, reject conflicting ones; ``seen`` carries the keys of earlier batches.

    Keys and contents are kept as 64-bit hashes only, so remembering a million rows costs ~24 MB.
    """
    keyed = frame.sort("row").with_columns(
        pl.struct(natural_key(kind)).hash().alias("_key"),
        pl.struct(content_columns(kind)).hash().alias("_content"),
    )
    keyed = keyed.with_columns(
        pl.col("row").first().over("_key").alias("_first_row"),
        pl.col("_content").first().over("_key").alias("_first_content"),
    )
    if seen.height:  # a key met in an earlier batch: that batch's row is the first
        earlier = seen.rename({"_first_row": "_seen_row", "_first_content": "_seen_content"})
        keyed = keyed.join(earlier, on="_key", how="left", maintain_order="left").with_columns(
            pl.coalesce("_seen_row", "_first_row").alias("_first_row"),
            pl.coalesce("_seen_content", "_first_content").alias("_first_content"),
        )
        keyed = keyed.drop("_seen_row", "_seen_content")
    first_seen = keyed.filter(pl.col("row") == pl.col("_first_row")).select(SEEN_SCHEMA.keys())
    seen = pl.concat([seen, first_seen]) if seen.height else first_seen
    later = pl.col("row") != pl.col("_first_row")
    key_names = ", ".join(TEMPLATES[kind].key)
    checks.add(
        keyed,
        later & (pl.col("_content") != pl.col("_first_content")),
        None,
        pl.format(f"conflicts with row {{}}: same {key_names} but different values", pl.col("_first_row")),
    )
    repeats = keyed.filter(later & (pl.col("_content") == pl.col("_first_content")))
    if repeats.height:
        warnings.append(
            f"{repeats.height} row(s) repeat an earlier row exactly and are imported once (first: row {repeats['row'][0]})"
        )
    unique = keyed.filter(~later | (pl.col("_content") != pl.col("_first_content")))
    return unique.drop("_key", "_content", "_first_row", "_first_content"), seen


def _in_file_references(
    kind: ImportKind, frame: pl.DataFrame, refs: References, errors: pl.DataFrame
) -> pl.DataFrame:
    """Rows whose parent/manager exists only as a rejected row of this file cannot be written."""
    if kind is ImportKind.DEPARTMENTS:
        own, ref, in_db, label = "code", "parent_code", refs.departments["code"], "parent department"
    elif kind is ImportKind.EMPLOYEES:
        own, ref, in_db, label = "employee_id", "manager_id", refs.employees["employee_id"], "manager"
    else:
        return errors
    while True:
        bad_rows = errors.get_column("row").unique()
        rejected = frame.filter(pl.col("row").is_in(bad_rows.implode())).select(
            own, pl.col("row").alias("_ref_row")
        )
        leaning = (
            frame.filter(~pl.col("row").is_in(bad_rows.implode()) & ~pl.col(ref).is_in(in_db.implode()))
            .join(rejected.rename({own: ref}), on=ref, how="inner")
            .select(
                "row",
                pl.lit(ref).alias("column"),
                pl.format(f"{label} '{{}}' is rejected (row {{}})", pl.col(ref), pl.col("_ref_row")).alias(
                    "message"
                ),
            )
        )
        if leaning.is_empty():
            return errors
        errors = pl.concat([errors, leaning.cast(ERROR_SCHEMA)]).sort("row")


def validate(
    kind: ImportKind, raw: pl.DataFrame, refs: References, seen: pl.DataFrame | None = None
) -> Validated:
    """Validate one batch (or a whole file); pass the previous batch's ``Validated.seen`` along."""
    template = TEMPLATES[kind]
    checks = Checks()
    warnings: list[str] = []
    typed = parse_types(raw, template, checks)
    ruled = RULES[kind](typed, refs, checks)
    unique, seen = _duplicates(
        kind, ruled, pl.DataFrame(schema=SEEN_SCHEMA) if seen is None else seen, checks, warnings
    )
    errors = _in_file_references(kind, unique, refs, checks.frame())
    valid = unique.filter(~pl.col("row").is_in(errors.get_column("row").unique().implode()))
    return Validated(
        kind=kind, rows_read=raw.height, valid=valid, errors=errors, warnings=warnings, seen=seen
    )
