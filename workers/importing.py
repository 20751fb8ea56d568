"""An import followed by the recomputation of what it touched (the API and the CLI share it)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from domain.importing.service import ImportReport, Limits, run_import
from domain.importing.templates import ImportKind
from domain.settings import Settings
from workers.jobs import enqueue


def limits(settings: Settings) -> Limits:
    return Limits(max_bytes=settings.import_max_bytes, max_rows=settings.import_max_rows)


def import_and_recompute(
    engine: Engine,
    settings: Settings,
    kind: ImportKind,
    source: bytes | Path,
    file_name: str,
    *,
    dry_run: bool = False,
    partial: bool = False,
) -> ImportReport:
    report = run_import(
        engine,
        kind,
        source,
        file_name,
        dry_run=dry_run,
        partial=partial,
        limits=limits(settings),
        secret=settings.secret_key,
    )
    if report.applied and report.scope is not None:
        from workers.actors import recompute  # the broker is configured by now

        report.job_id = enqueue(engine, recompute, scope=report.scope).id
    return report
