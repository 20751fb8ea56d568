"""``salon import``: files or folders in, one validation report per file out."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from sqlalchemy import Engine

from domain import jobs
from domain.importing.reader import FileRejected, header_titles
from domain.importing.recompute import import_and_recompute
from domain.importing.service import ImportReport
from domain.importing.templates import ORDER, ImportKind, fitting_kinds, kind_from_file_name, looks_like
from domain.models import JobStatus
from domain.settings import Settings

SUFFIXES = (".csv", ".xlsx")
SHOWN_ERRORS = 50


def _from_headers(path: Path) -> ImportKind | None:
    """What a file's headers say it holds (the best fitting kind), if they say anything."""
    try:
        kinds = fitting_kinds(header_titles(path, path.name))
    except FileRejected:
        return None
    return kinds[0] if kinds else None


def collect(paths: tuple[Path, ...], kind: str | None) -> list[tuple[Path, ImportKind]]:
    """Files with their kind; a folder's files come in dependency order so references resolve."""
    files: list[tuple[Path, ImportKind]] = []
    for path in paths:
        if path.is_dir():
            found = []
            for child in sorted(path.iterdir()):
                detected = kind_from_file_name(child.stem) if child.suffix.lower() in SUFFIXES else None
                if detected is None:
                    fits = _from_headers(child) if child.suffix.lower() in SUFFIXES else None
                    hint = f" ({looks_like(fits)}: name it {fits.value}{child.suffix})" if fits else ""
                    click.echo(f"skipping {child}: not a known import file name{hint}", err=True)
                else:
                    found.append((child, detected))
            files.extend(sorted(found, key=lambda item: ORDER.index(item[1])))
            continue
        detected = ImportKind(kind.lower()) if kind else kind_from_file_name(path.stem)
        if detected is None:
            fits = _from_headers(path)
            hint = f" ({looks_like(fits)}: add --kind {fits.value})" if fits else ""
            raise click.UsageError(f"cannot tell what {path.name} holds from its name: add --kind{hint}")
        files.append((path, detected))
    return files


def as_dict(report: ImportReport, job_status: str | None) -> dict:
    return {
        "file": report.file_name,
        "kind": report.kind.value.upper(),
        "rowsRead": report.rows_read,
        "inserted": report.counts.inserted,
        "updated": report.counts.updated,
        "unchanged": report.counts.unchanged,
        "rejected": report.rejected,
        "applied": report.applied,
        "dryRun": report.dry_run,
        "checksum": report.checksum,
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in report.errors],
        "warnings": report.warnings,
        "job": {"id": report.job_id, "status": job_status} if report.job_id else None,
    }


def show(report: ImportReport) -> None:
    c = report.counts
    outcome = (
        "dry run" if report.dry_run else ("applied" if report.applied else "NOT applied: nothing written")
    )
    click.echo(
        f"{report.file_name} ({report.kind.value}): {report.rows_read} read, {c.inserted} inserted, "
        f"{c.updated} updated, {c.unchanged} unchanged, {report.rejected} rejected — {outcome}"
    )
    if report.checksum:
        click.echo(f"  checksum {report.checksum}")
    for warning in report.warnings:
        click.echo(f"  warning: {warning}")
    for error in report.errors[:SHOWN_ERRORS]:
        where = "file" if error.row == 0 else f"row {error.row}"
        click.echo(f"  {where}{', ' + error.column if error.column else ''}: {error.message}")
    if len(report.errors) > SHOWN_ERRORS:
        click.echo(f"  … and {len(report.errors) - SHOWN_ERRORS} more errors (--json lists them all)")


def wait_for(engine: Engine, job_id: str, timeout: float = 3600) -> str:
    """Follow a job on stderr until it ends; the embedded worker runs it in this process."""
    started, last = time.monotonic(), None
    while True:
        job = jobs.get_job(engine, job_id)
        if job.status != last:
            click.echo(f"  recompute {job_id[:8]}: {job.status}", err=True)
            last = job.status
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED) or time.monotonic() - started > timeout:
            if job.status == JobStatus.FAILED:
                click.echo(f"  recompute failed: {job.error}", err=True)
            return job.status
        time.sleep(0.2)


def run(
    settings: Settings,
    engine: Engine,
    files: list[tuple[Path, ImportKind]],
    dry_run: bool,
    partial: bool,
    as_json: bool,
) -> int:
    from workers import broker as broker_setup
    from workers import embedded, runtime
    from workers.relay import send_now

    runtime.configure(settings, engine)
    broker = broker_setup.setup(settings)
    import workers.actors  # noqa: F401  (declares the actors on the broker just set)

    worker = embedded.start_worker(broker, settings.worker_threads) if settings.embedded_broker else None
    reports, failed = [], False
    try:
        for path, kind in files:
            report = import_and_recompute(
                engine, settings, kind, path, path.name, send=send_now, dry_run=dry_run, partial=partial
            )
            failed |= bool(report.errors) and not report.applied
            status = None
            if not as_json:
                show(report)
            if report.job_id:
                status = wait_for(engine, report.job_id) if worker else "QUEUED"
            reports.append(as_dict(report, status))
    finally:
        if worker is not None:
            embedded.stop_worker(worker, broker)
    if as_json:
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
    return 1 if failed else 0
