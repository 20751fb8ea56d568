"""One import, start to finish: read, validate whole, write all or (partial) the valid rows.

Everything happens in one transaction, so a file that fails — by validation or by the
database refusing a row — leaves the tables exactly as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from domain.db import hold_write_lock, job_statements
from domain.fingerprints import fingerprint_key, rekey_legacy
from domain.importing.checksum import Checksum
from domain.importing.erasure import WITHHELD_WARNING, erased_people, withhold
from domain.importing.reader import BATCH_ROWS, FileRejected, open_table
from domain.importing.references import load_references
from domain.importing.scope import INPUTS, touched
from domain.importing.templates import TEMPLATES, ImportKind
from domain.importing.validation import Validated, content_columns, validate
from domain.importing.writer import Counts, Plan, classify, write

log = logging.getLogger(__name__)
FILE_ROW = 0  # ImportProblem.row for a problem with the file as a whole


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 100 * 1024 * 1024
    max_rows: int = 2_000_000


@dataclass(frozen=True)
class ImportProblem:
    """One problem with an import file: where (``row`` as a spreadsheet shows it, ``FILE_ROW``
    for the file as a whole; the column, if one) and why."""

    row: int
    column: str | None
    message: str


@dataclass
class ImportReport:
    kind: ImportKind
    file_name: str
    rows_read: int = 0
    counts: Counts = field(default_factory=Counts)
    rejected: int = 0
    applied: bool = False
    dry_run: bool = False
    checksum: str = ""
    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    scope: dict[str, list[str] | None] | None = (
        None  # what a recomputation must cover; None = nothing to recompute
    )
    job_id: str | None = None


def _file_error(report: ImportReport, message: str) -> ImportReport:
    report.errors.append(ImportProblem(FILE_ROW, None, message))
    return report


# Kinds whose rows refer to rows of the same file (parents, managers): validated in one piece.
WHOLE_FILE_KINDS = (ImportKind.DEPARTMENTS, ImportKind.EMPLOYEES)


@dataclass
class _Run:
    """What the batches of one pass over a file add up to."""

    kind: ImportKind
    rows_read: int = 0
    counts: Counts = field(default_factory=Counts)
    errors: list[pl.DataFrame] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changed: list[pl.DataFrame] = field(default_factory=list)
    seen: pl.DataFrame | None = None
    conflicts: list[pl.DataFrame] = field(default_factory=list)
    late: bool = False  # a conflict reached back to a batch already counted (and maybe written)
    withheld: int = 0  # rows of erased people whose personal fields were not imported

    @property
    def rejected(self) -> int:
        """Rows with an error: counted over the file, since a later batch may reject an earlier row."""
        if not self.errors:
            return 0
        return pl.concat([part.select("row") for part in self.errors]).get_column("row").n_unique()

    def add(self, validated: Validated) -> None:
        self.rows_read += validated.rows_read
        self.warnings += validated.warnings
        self.seen = validated.seen
        self.late |= validated.late.height > 0
        if validated.conflicts.height:
            self.conflicts.append(validated.conflicts)
        if validated.errors.height:
            self.errors.append(validated.errors)

    def count(self, plan: Plan, valid: pl.DataFrame) -> None:
        c = self.counts
        self.counts = Counts(
            c.inserted + plan.counts.inserted,
            c.updated + plan.counts.updated,
            c.unchanged + plan.counts.unchanged,
        )
        changed = valid.filter(pl.col("row").is_in(plan.changed_rows.implode()))
        if changed.height:
            self.changed.append(changed.select(INPUTS[self.kind]).unique())


def run_import(
    engine: Engine,
    kind: ImportKind,
    source: bytes | Path,
    file_name: str,
    *,
    dry_run: bool = False,
    partial: bool = False,
    limits: Limits | None = None,
    batch_rows: int = BATCH_ROWS,
    secret: str,
    on_change: Callable[[Connection, dict[str, list[str] | None]], str] | None = None,
) -> ImportReport:
    """Import one file. Rows stream through in batches of ``batch_rows``, all in one transaction:
    memory stays bounded by the batch, and atomicity by the transaction. ``secret`` is
    ``SALON_SECRET_KEY``: feedback fingerprints are keyed with it (``domain.fingerprints``).

    ``on_change(connection, scope)`` is called inside that transaction when the import changed
    something, with the scope to recompute; it returns the id of the job it wrote there (the
    report's ``job_id``). So the rows and the job that recomputes them commit together or not
    at all: no import is left committed without its recompute."""
    limits = limits or Limits()
    report = ImportReport(kind=kind, file_name=file_name, dry_run=dry_run)
    size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
    if size > limits.max_bytes:
        return _file_error(report, f"the file is {size:,} bytes; the limit is {limits.max_bytes:,} bytes")
    try:
        known = None
        while True:
            run, digest = _pass(
                engine, kind, source, file_name, report, limits, batch_rows, secret, on_change,
                dry_run=dry_run, partial=partial, known=known,
            )  # fmt: skip
            if not (partial and run.late) or known is not None:
                break
            # a conflict reached back to a batch already written: undone (rolled back), and
            # the file read again knowing every conflict, so no row of one is written
            known = pl.concat(run.conflicts)
    except FileRejected as error:  # also raised part-way through a file (a broken row, too many rows)
        return _file_error(report, str(error))
    except IntegrityError:
        log.warning("import of %s refused by the database", kind, exc_info=True)
        return _refused(
            report,
            "the database refused a row (another import may have changed the same rows at the same time)",
        )
    except DBAPIError:
        log.exception("import of %s failed in the database", kind)
        return _refused(report, "the database failed during the import")
    applied = not dry_run and (partial or not run.rejected)
    report.rows_read, report.rejected, report.applied = run.rows_read, run.rejected, applied
    report.warnings = run.warnings
    if run.withheld:
        report.warnings.append(WITHHELD_WARNING.format(count=run.withheld))
    report.checksum = digest.hexdigest()
    errors = pl.concat(run.errors).sort("row", maintain_order=True) if run.errors else None
    report.errors = [] if errors is None else [ImportProblem(*error) for error in errors.iter_rows()]
    if run.rejected and not partial:
        return report  # nothing was written, so nothing counts as inserted or updated
    report.counts = run.counts
    return report


def _pass(
    engine: Engine,
    kind: ImportKind,
    source: bytes | Path,
    file_name: str,
    report: ImportReport,
    limits: Limits,
    batch_rows: int,
    secret: str,
    on_change: Callable[[Connection, dict[str, list[str] | None]], str] | None,
    *,
    dry_run: bool,
    partial: bool,
    known: pl.DataFrame | None,
) -> tuple[_Run, Checksum]:
    """One pass over the file in one transaction: validate, count and (unless it is a dry run or
    a row was rejected without ``partial``) write, batch by batch. Rolled back when nothing is
    to be applied — or when a partial import met a conflict with a batch it already wrote."""
    run, digest = _Run(kind), Checksum(content_columns(kind))
    table = open_table(
        source,
        file_name,
        TEMPLATES[kind],
        max_rows=limits.max_rows,
        max_bytes=limits.max_bytes,
        batch_rows=batch_rows,
    )
    # an import is a job however it is started (request, CLI): its COPY may take minutes
    with job_statements(), engine.connect() as connection, connection.begin() as transaction:
        hold_write_lock(connection)  # what ``classify`` reads stays true until the write
        key = fingerprint_key(secret)
        if kind is ImportKind.FEEDBACK:
            rekey_legacy(connection, key)  # rows stored before keying: so they match the file's
        references = load_references(connection, key)
        erased = erased_people(connection)
        batches = [pl.concat(list(table.batches))] if kind in WHOLE_FILE_KINDS else table.batches
        for batch in batches:
            validated = validate(kind, batch, references, run.seen, known)
            run.add(validated)
            digest.add(validated.valid)
            kept = withhold(kind, validated.valid, erased)
            validated.valid, run.withheld = kept.valid, run.withheld + kept.rows
            if (run.rejected and not partial) or (partial and run.late and known is None):
                continue  # nothing of this pass is kept: validate on to list every error (and conflict)
            plan = classify(connection, kind, validated.valid)
            run.count(plan, validated.valid)
            if not dry_run:
                write(connection, kind, plan, validated.valid)
        run.warnings = table.warnings + run.warnings
        applied = not dry_run and (partial or not run.rejected) and not (run.late and known is None)
        if applied and run.changed:
            report.scope = touched(kind, pl.concat(run.changed).unique(), references)
            if on_change is not None and report.scope is not None:
                report.job_id = on_change(connection, report.scope)
        if not applied:
            transaction.rollback()
    return run, digest


def _refused(report: ImportReport, reason: str) -> ImportReport:
    report.applied, report.counts, report.scope, report.job_id = False, Counts(), None, None
    return _file_error(report, f"{reason}; nothing was written — try again")
