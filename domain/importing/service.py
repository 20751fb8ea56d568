"""One import, start to finish: read, validate whole, write all or (partial) the valid rows.

Everything happens in one transaction, so a file that fails — by validation or by the
database refusing a row — leaves the tables exactly as they were.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from domain.importing.checksum import checksum
from domain.importing.reader import FileRejected, read_table
from domain.importing.references import load_references
from domain.importing.scope import touched
from domain.importing.templates import TEMPLATES, ImportKind
from domain.importing.validation import Validated, content_columns, validate
from domain.importing.writer import Counts, classify, write

log = logging.getLogger(__name__)
FILE_ROW = 0  # ImportError.row for a problem with the file as a whole


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 100 * 1024 * 1024
    max_rows: int = 2_000_000


@dataclass(frozen=True)
class ImportError:
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
    errors: list[ImportError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    scope: dict[str, list[str] | None] | None = (
        None  # what a recomputation must cover; None = nothing changed
    )
    job_id: str | None = None


def _file_error(report: ImportReport, message: str) -> ImportReport:
    report.errors.append(ImportError(FILE_ROW, None, message))
    return report


def _errors(validated: Validated) -> list[ImportError]:
    return [ImportError(row, column, message) for row, column, message in validated.errors.iter_rows()]


def run_import(
    engine: Engine,
    kind: ImportKind,
    source: bytes | Path,
    file_name: str,
    *,
    dry_run: bool = False,
    partial: bool = False,
    limits: Limits | None = None,
) -> ImportReport:
    limits = limits or Limits()
    report = ImportReport(kind=kind, file_name=file_name, dry_run=dry_run)
    size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
    if size > limits.max_bytes:
        return _file_error(report, f"the file is {size:,} bytes; the limit is {limits.max_bytes:,} bytes")
    try:
        table = read_table(source, file_name, TEMPLATES[kind], max_rows=limits.max_rows)
    except FileRejected as error:
        return _file_error(report, str(error))
    report.warnings.extend(table.warnings)
    try:
        with engine.begin() as connection:
            references = load_references(connection)
            validated = validate(kind, table.frame, references)
            report.rows_read, report.rejected = validated.rows_read, validated.rejected
            report.errors, report.warnings = _errors(validated), report.warnings + validated.warnings
            report.checksum = checksum(validated.valid, content_columns(kind))
            if report.rejected and not partial:
                return report  # all or nothing: not a row written
            plan = classify(connection, kind, validated.valid)
            report.counts = plan.counts
            if dry_run:
                return report
            write(connection, kind, plan, validated.valid)
            report.applied = True
            changed = validated.valid.filter(pl.col("row").is_in(plan.changed_rows.implode()))
            report.scope = touched(kind, changed, references) if changed.height else None
    except IntegrityError:
        log.warning("import of %s refused by the database", kind, exc_info=True)
        return _refused(
            report,
            "the database refused a row (another import may have changed the same rows at the same time)",
        )
    except DBAPIError:
        log.exception("import of %s failed in the database", kind)
        return _refused(report, "the database failed during the import")
    return report


def _refused(report: ImportReport, reason: str) -> ImportReport:
    report.applied, report.counts, report.scope = False, Counts(), None
    return _file_error(report, f"{reason}; nothing was written — try again")
