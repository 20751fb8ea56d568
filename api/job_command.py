"""``salon jobs``: the operator's view of the job table, and its repairs (retry one, retry
every stuck one), printed as a table or as JSON."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import click
from sqlalchemy import Engine
from sqlmodel import Session

from api import job_repair
from domain.models import Job, JobStatus
from domain.settings import Settings

COLUMNS = ("id", "kind", "status", "tries", "created", "started", "finished", "parts", "error")


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S") if at else "-"


def _cells(row: job_repair.Row) -> tuple[str, ...]:
    job = row.job
    parts = f"{row.parts_done}/{row.parts_total}" if row.parts_total else "-"
    return (
        job.id,
        job.actor,
        job.status,
        str(job.attempts),
        _when(job.created_at),
        _when(job.started_at),
        _when(job.finished_at),
        parts,
        row.error_line[:80],
    )


def table(rows: list[job_repair.Row]) -> str:
    lines = [COLUMNS, *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines)


def _send(settings: Settings, requeued: list[Job]) -> str:
    """Send the requeued jobs; in embedded mode there is no broker to reach from here."""
    if not requeued:
        return ""
    if settings.embedded_broker:
        return "embedded broker: the server sends them when it next starts"
    from workers import broker as broker_setup

    broker = broker_setup.setup(settings)
    import workers.actors  # noqa: F401  (declares the actors on the broker just set)

    for job in requeued:
        job_repair.send(job, broker)
    return "sent to the broker"


def run(
    settings: Settings,
    engine: Engine,
    *,
    status: str | None,
    kind: str | None,
    limit: int,
    retry: str | None,
    retry_stuck: bool,
    stale_after: timedelta,
    as_json: bool,
) -> None:
    if retry is not None or retry_stuck:
        if retry is not None:
            try:
                requeued = [job_repair.retry(engine, retry, stale_after)]
            except job_repair.RetryRefused as refused:
                raise click.ClickException(str(refused).removeprefix("id: ")) from None
        else:
            requeued = job_repair.retry_stuck(engine, stale_after)
        note = _send(settings, requeued)
        click.echo(f"requeued {len(requeued)} job(s)" + (f": {note}" if note else ""), err=True)
        shown = requeued
    else:
        with Session(engine) as session:
            shown = job_repair.listing(
                session, status=JobStatus(status) if status else None, kind=kind, limit=limit
            )
    with Session(engine) as session:
        rows = job_repair.rows(session, shown)
    if as_json:
        click.echo(json.dumps([row.to_json() for row in rows], indent=2))
    else:
        click.echo(table(rows))
