"""Load the demo company through the importer, exactly as HR would load its exports."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import Engine, func, select

from domain.demo.generator import write_templates
from domain.importing.service import ImportReport, run_import
from domain.importing.templates import ORDER
from domain.models import Department


class DemoLoadFailed(RuntimeError):
    """The generator wrote a file the importer rejects: a bug in one of them."""


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Department)).scalar_one() == 0


def load_demo(engine: Engine, seed: int = 7, *, secret: str) -> list[ImportReport]:
    """``secret`` is ``SALON_SECRET_KEY`` (feedback fingerprints are keyed with it)."""
    with tempfile.TemporaryDirectory(prefix="salon-demo-") as directory:
        paths = write_templates(Path(directory), seed)
        reports = []
        for kind in ORDER:
            report = run_import(engine, kind, paths[kind.value], paths[kind.value].name, secret=secret)
            if not report.applied:
                raise DemoLoadFailed(f"{kind.value}: {[e.message for e in report.errors[:5]]}")
            reports.append(report)
    return reports
