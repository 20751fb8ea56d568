"""An import and the recomputation of what it touched: the one service the API's ``importData``
and the ``salon import`` command share.

The recompute's job is written in the import's transaction (an outbox row): both commit or
neither does. The caller's ``send`` sends it right after the commit (``workers.relay.send_now``:
Dramatiq stays out of ``domain``); if the broker refuses, a relay sends it later and the import
still answers with its report and the job's id.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlmodel import Session

from domain.importing.service import ImportReport, Limits, run_import
from domain.importing.templates import ImportKind
from domain.jobs import RECOMPUTE, create_job
from domain.settings import Settings

Send = Callable[[Engine, str], object]  # sends a committed job's message; never raises


def limits(settings: Settings) -> Limits:
    return Limits(max_bytes=settings.import_max_bytes, max_rows=settings.import_max_rows)


def import_and_recompute(
    engine: Engine,
    settings: Settings,
    kind: ImportKind,
    source: bytes | Path,
    file_name: str,
    *,
    send: Send,
    dry_run: bool = False,
    partial: bool = False,
) -> ImportReport:
    """Import one file; when it changed something, its recompute job is committed with its rows
    and then handed to ``send`` (the report's ``job_id``)."""
    report = run_import(
        engine,
        kind,
        source,
        file_name,
        dry_run=dry_run,
        partial=partial,
        limits=limits(settings),
        secret=settings.secret_key,
        on_change=recompute_job,
    )
    if report.applied and report.job_id is not None:
        send(engine, report.job_id)
    return report


def recompute_job(connection: Connection, scope: dict[str, list[str] | None] | None) -> str:
    """A recompute of ``scope`` (None: everything), written in the import's transaction: the
    ``on_change`` of :func:`domain.importing.service.run_import`. Its id."""
    with Session(bind=connection) as session:  # joins the import's transaction
        return create_job(session, RECOMPUTE, {"scope": scope}).id
