"""Fan-out: a recompute over several metrics runs as one message per metric, plus a finish.

The metric part of a recompute (department values, gaps, drivers, top performers) splits by
metric without any overlap, so each metric is a part — a child ``Job`` with its own message
that any worker process on any host may take. The department part (feedback themes, growth
needs) reads every metric's values, so it runs once, when the parent is sent again after its
last part succeeded (``domain.jobs.settle_parent``). The parent's result adds up its parts'.

Idempotent: parts are created once per parent, in one transaction with the parent's update,
as unsent outbox rows (``domain.jobs``): sent right after that commit, and by a relay if that
send fails — a redelivered parent sends none (so none is sent twice). Every part rebuilds its
scope whole, and a part that already SUCCEEDED is skipped when delivered twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import col

from domain import jobs
from domain.models import Job, JobStatus, Metric
from workers.rebuild import rebuild


def split(engine: Engine, scope: dict[str, Any] | None) -> list[dict[str, Any]]:
    """One scope per metric of ``scope`` (all metrics when it names none), codes in order."""
    scope = dict(scope or {})
    statement = select(col(Metric.code)).order_by(col(Metric.code))
    if scope.get("metric_codes") is not None:
        statement = statement.where(col(Metric.code).in_(list(scope["metric_codes"])))
    with engine.connect() as connection:
        codes = list(connection.scalars(statement))
    return [scope | {"metric_codes": [code]} for code in codes]


def combine(results: list[dict[str, Any] | None]) -> dict[str, int]:
    """The parts' counts added up (their ``scope`` entries aside)."""
    total: dict[str, int] = {}
    for result in results:
        for key, value in (result or {}).items():
            if isinstance(value, int) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + value
    return total


def run(engine: Engine, job_id: str, scope: dict[str, Any] | None, send: Callable[[Job], None]) -> dict:
    """Recompute ``scope`` as job ``job_id``: in this message when it covers one metric or
    fewer, else as parts; returns the result, or a ``WAITING`` marker while parts run.
    ``send`` sends a part just created (it must not raise: see ``workers.relay.send_now``)."""
    parts, created = jobs.parts(engine, job_id), False
    if not parts:
        scopes = split(engine, scope)
        if len(scopes) < 2:
            return rebuild(engine, scope)
        arguments = [{"scope": part, "part": "metrics"} for part in scopes]
        parts, created = jobs.create_parts(engine, job_id, jobs.RECOMPUTE, arguments)
    if all(part.status == JobStatus.SUCCEEDED for part in parts):
        finished = rebuild(engine, scope, part="departments")
        return combine([part.result for part in parts]) | finished | {"parts": len(parts)}
    if created:  # committed unsent: sent now, or by a relay if this fails or the process dies
        for part in parts:
            send(part)
    return {jobs.WAITING: True, "parts": len(parts)}
