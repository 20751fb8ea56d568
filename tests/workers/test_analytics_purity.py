"""``workers.analytics`` is pure Polars: importing it brings in no ORM, no database, no broker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ANALYTICS = Path(__file__).resolve().parents[2] / "workers" / "analytics"


def test_the_analytics_import_no_models_no_database_and_no_broker():
    modules = sorted(f"workers.analytics.{p.stem}" for p in ANALYTICS.glob("*.py") if p.stem != "__init__")
    probe = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print(sorted(m for m in sys.modules if m.startswith(('domain.models', 'sqlalchemy', 'sqlmodel', 'dramatiq'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout

    assert modules and loaded.strip() == "[]"
