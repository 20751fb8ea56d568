"""``salon jobs``: the operator's view of the job table, and its repairs (retry one, retry
every stuck one), printed as a table or as JSON."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import click
from sqlalchemy import Engine
from sqlmodel import Session

from domain import job_repair
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
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def _send(settings: Settings, engine: Engine, requeued: list[Job]) -> str:
    """Send the requeued jobs by name right away; in embedded mode the server's relay sends them
    (this process has no worker, so an in-process broker here would lose them)."""
    if not requeued:
        return ""
    if settings.embedded_broker:
        return "the server's relay sends them (embedded broker)"
    from workers import broker as broker_setup
    from workers.relay import send_now

    broker = broker_setup.setup(settings)
    import workers.actors  # noqa: F401  (a command that sends: the actors' names on this broker)

    try:
        sent = sum(send_now(engine, job.id, broker) for job in requeued)
    finally:
        broker.close()
    return f"{sent} sent to the broker" + (
        "" if sent == len(requeued) else "; a worker's relay sends the rest"
    )


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
        note = _send(settings, engine, requeued)
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
