"""An import and the recomputation of what it touched (the API and the CLI share it).

The recompute's job is written in the import's transaction (an outbox row): both commit or
neither does. It is sent right after; if the broker refuses, a relay sends it later and the
import still answers with its report and the job's id.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlmodel import Session

from domain.importing.service import ImportReport, Limits, run_import
from domain.importing.templates import ImportKind
from domain.jobs import create_job
from domain.settings import Settings
from workers.jobs import RECOMPUTE
from workers.relay import send_now


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
        on_change=_recompute_job,
    )
    if report.applied and report.job_id is not None:
        send_now(engine, report.job_id)
    return report


def _recompute_job(connection: Connection, scope: dict[str, list[str] | None]) -> str:
    with Session(bind=connection) as session:  # joins the import's transaction
        return create_job(session, RECOMPUTE, {"scope": scope}).id
