"""Validate a whole file before anything is written: parse, apply the kind's rules, find
conflicting duplicates, and reject rows that lean on rejected rows of the same file."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from domain.importing.parsing import ERROR_SCHEMA, Checks, parse_types
from domain.importing.references import References
from domain.importing.rules import RULES
from domain.importing.templates import TEMPLATES, ImportKind

SEEN_SCHEMA = {
    "_key": pl.UInt64,
    "_first_row": pl.Int64,
    "_first_content": pl.UInt64,
    "_conflicted": pl.Boolean,
}
CONFLICT_SCHEMA = {"_key": pl.UInt64, "row": pl.Int64}  # the rows of conflicting keys
SHOWN_ROWS = 5  # other rows a conflict's message names


@dataclass
class Validated:
    kind: ImportKind
    rows_read: int
    valid: pl.DataFrame  # typed, normalised, ids resolved; one row per natural key
    errors: pl.DataFrame  # row, column, message — sorted by row
    warnings: list[str] = field(default_factory=list)
    seen: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=SEEN_SCHEMA))
    # rows of conflicting keys (CONFLICT_SCHEMA); ``late`` those of an earlier batch, which a
    # partial import may already have written when the conflict turned up
    conflicts: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CONFLICT_SCHEMA))
    late: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CONFLICT_SCHEMA))

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
    kind: ImportKind,
    frame: pl.DataFrame,
    seen: pl.DataFrame,
    known: pl.DataFrame,
    checks: Checks,
    warnings: list[str],
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Drop exact repeats; reject every row of a key the file gives different values, since the
    file does not say which one is right. ``seen`` carries the keys of earlier batches, ``known``
    the conflicts an earlier pass over the file found. Returns the rows left, ``seen`` for the
    next batch, this batch's conflict rows and those of them that sit in an earlier batch.

    Keys and contents are kept as 64-bit hashes only, so remembering a million rows costs ~25 MB.
    """
    keyed = frame.sort("row").with_columns(
        pl.struct(natural_key(kind)).hash().alias("_key"),
        pl.struct(content_columns(kind)).hash().alias("_content"),
    )
    earlier = seen.rename(
        {"_first_row": "_seen_row", "_first_content": "_seen_content", "_conflicted": "_seen_conflicted"}
    )
    keyed = keyed.join(earlier, on="_key", how="left", maintain_order="left").with_columns(
        pl.coalesce("_seen_row", pl.col("row").first().over("_key")).alias("_first_row"),
        pl.coalesce("_seen_content", pl.col("_content").first().over("_key")).alias("_first_content"),
    )
    known_keys = known.get_column("_key").unique().implode()
    keyed = keyed.with_columns(
        (
            (pl.col("_content") != pl.col("_first_content")).any().over("_key")
            | pl.col("_seen_conflicted").fill_null(False)
            | pl.col("_key").is_in(known_keys)
        ).alias("_conflicted")
    )
    in_batch = keyed.filter("_conflicted").select("_key", "row")
    late = (  # an earlier batch's first row of a key that conflicts from this batch on
        keyed.filter(
            pl.col("_conflicted")
            & pl.col("_seen_row").is_not_null()
            & ~pl.col("_seen_conflicted").fill_null(False)
            & ~pl.col("_key").is_in(known_keys)
        )
        .select("_key", pl.col("_seen_row").alias("row"))
        .unique()
    )
    conflicts = pl.concat([in_batch, late])
    if conflicts.height:
        _report_conflicts(kind, conflicts, known, checks)
    new = keyed.filter(pl.col("_seen_row").is_null() & (pl.col("row") == pl.col("_first_row")))
    new = new.select(SEEN_SCHEMA.keys())
    if seen.height:
        if conflicts.height:
            now = conflicts.get_column("_key").unique().implode()
            seen = seen.with_columns(pl.col("_conflicted") | pl.col("_key").is_in(now))
        seen = pl.concat([seen, new])
    else:
        seen = new
    repeats = keyed.filter(
        (pl.col("row") != pl.col("_first_row"))
        & (pl.col("_content") == pl.col("_first_content"))
        & ~pl.col("_conflicted")
    )
    if repeats.height:
        warnings.append(
            f"{repeats.height} row(s) repeat an earlier row exactly and are imported once (first: row {repeats['row'][0]})"
        )
    unique = keyed.join(repeats.select("row"), on="row", how="anti", maintain_order="left")
    helpers = ["_key", "_content", "_seen_row", "_seen_content", "_seen_conflicted", "_first_row",
               "_first_content", "_conflicted"]  # fmt: skip
    return unique.drop(helpers), seen, conflicts, late


def _report_conflicts(kind: ImportKind, conflicts: pl.DataFrame, known: pl.DataFrame, checks: Checks) -> None:
    """One error per row of a conflict, naming the other rows of its key that this pass knows."""
    group = pl.concat([conflicts, known.join(conflicts.select("_key").unique(), on="_key")]).unique()
    others = (
        conflicts.unique()
        .join(group.rename({"row": "_other"}), on="_key")
        .filter(pl.col("row") != pl.col("_other"))
        .group_by("row")
        .agg(
            pl.col("_other").sort().head(SHOWN_ROWS).cast(pl.String).str.join(", ").alias("_others"),
            pl.len().alias("_count"),
        )
    )
    rows = pl.when(pl.col("_count") == 1).then(pl.lit("row")).otherwise(pl.lit("rows"))
    listed = pl.when(pl.col("_count") > SHOWN_ROWS).then(pl.format("{}, …", "_others")).otherwise("_others")
    neither = pl.when(pl.col("_count") == 1).then(pl.lit("neither")).otherwise(pl.lit("none of them"))
    key_names = ", ".join(TEMPLATES[kind].key)
    checks.add(
        others,
        pl.lit(True),
        None,
        pl.format(
            f"conflicts with {{}} {{}}: same {key_names} but different values, so {{}} is imported",
            rows,
            listed,
            neither,
        ),
    )


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
    kind: ImportKind,
    raw: pl.DataFrame,
    refs: References,
    seen: pl.DataFrame | None = None,
    known: pl.DataFrame | None = None,
) -> Validated:
    """Validate one batch (or a whole file); pass the previous batch's ``Validated.seen`` along,
    and the conflicts (``Validated.conflicts``) an earlier pass over the same file found."""
    template = TEMPLATES[kind]
    checks = Checks()
    warnings: list[str] = []
    typed = parse_types(raw, template, checks)
    ruled = RULES[kind](typed, refs, checks)
    unique, seen, conflicts, late = _duplicates(
        kind,
        ruled,
        pl.DataFrame(schema=SEEN_SCHEMA) if seen is None else seen,
        pl.DataFrame(schema=CONFLICT_SCHEMA) if known is None else known,
        checks,
        warnings,
    )
    errors = _in_file_references(kind, unique, refs, checks.frame())
    valid = unique.filter(~pl.col("row").is_in(errors.get_column("row").unique().implode()))
    return Validated(
        kind=kind,
        rows_read=raw.height,
        valid=valid,
        errors=errors,
        warnings=warnings,
        seen=seen,
        conflicts=conflicts,
        late=late,
    )
