"""Load the demo company through the importer, exactly as HR would load its exports.

Each file is imported in a transaction of its own, as HR's would be, and the recompute of the
whole company is committed with the last one. A load cut short (a crash, a killed process)
leaves the first files committed and no job: :func:`is_unfinished` recognises that state and
loading again finishes it — an import of rows already there changes nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import Connection, Engine, exists, func, select
from sqlmodel import col

from domain.demo import stories
from domain.demo.generator import write_templates
from domain.importing.recompute import recompute_job
from domain.importing.service import ImportReport, run_import
from domain.importing.templates import ORDER
from domain.models import Department, Job


class DemoLoadFailed(RuntimeError):
    """The generator wrote a file the importer rejects: a bug in one of them."""


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Department)).scalar_one() == 0


def is_unfinished(engine: Engine) -> bool:
    """A demo load was cut short: there are departments, all of them the demo's, and no job was
    ever queued (a finished load queued its recompute with its last file; every import queues
    one). Anything else is someone's data, left as it is."""
    demo_codes = [spec.code for spec in stories.DEPARTMENTS]
    with engine.connect() as connection:
        return all(
            connection.execute(
                select(
                    exists().where(col(Department.code).in_(demo_codes)),
                    ~exists().where(col(Department.code).not_in(demo_codes)),
                    ~exists(select(Job.id)),
                )
            ).one()
        )


def load_demo(engine: Engine, seed: int = 7, *, secret: str, recompute: bool = False) -> list[ImportReport]:
    """``secret`` is ``SALON_SECRET_KEY`` (feedback fingerprints are keyed with it). With
    ``recompute``, the job that computes everything is committed with the last file (the last
    report's ``job_id``): the load is finished exactly when the job exists."""
    with tempfile.TemporaryDirectory(prefix="salon-demo-") as directory:
        paths = write_templates(Path(directory), seed)
        reports = []
        for kind in ORDER:
            last = recompute and kind == ORDER[-1]
            report = run_import(
                engine,
                kind,
                paths[kind.value],
                paths[kind.value].name,
                secret=secret,
                on_change=_recompute_everything if last else None,
            )
            if not report.applied:
                raise DemoLoadFailed(f"{kind.value}: {[e.message for e in report.errors[:5]]}")
            if last and report.job_id is None:  # only after a load that finished: see is_unfinished
                raise DemoLoadFailed(f"{kind.value}: already loaded, so no recompute was queued")
            reports.append(report)
    return reports


def _recompute_everything(connection: Connection, _scope: object) -> str:
    return recompute_job(connection, None)  # the whole company, not only what the last file touched
