"""The ``salon.plugins`` entry points that ``pyproject.toml`` declares, installed for the tests.

Entry points come from the installed distribution's metadata, which ``pip install`` writes; a
checkout with entry points added since (the built-in notification channels) is only seen
whole after reinstalling. The fixture writes the declared entry points the installed
distribution lacks into a ``.dist-info`` of their own on ``sys.path`` — what the reinstall
would add — and nothing once the installation has them.
"""

from __future__ import annotations

import importlib
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from plugins import ENTRY_POINT_GROUP

ROOT = Path(__file__).resolve().parents[2]


def declared() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return dict(project["entry-points"][ENTRY_POINT_GROUP])


def missing() -> dict[str, str]:
    installed = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.dist.name == "ehr-salon"}
    return {name: value for name, value in declared().items() if name not in installed}


def install(root: Path, monkeypatch) -> Path | None:
    """Put the missing entry points under ``root`` and ``root`` on sys.path; None if none miss."""
    lacking = missing()
    if not lacking:
        return None
    info = root / "ehr_salon_declared-0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: ehr-salon-declared\nVersion: 0\n", encoding="utf-8"
    )
    lines = [f"[{ENTRY_POINT_GROUP}]", *(f"{name} = {value}" for name, value in lacking.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    return root


@pytest.fixture
def declared_plugins(tmp_path_factory, monkeypatch) -> Path | None:
    """Every declared entry point installed; the folder to add to a subprocess's PYTHONPATH
    (None when the installation already has them all)."""
    return install(tmp_path_factory.mktemp("declared"), monkeypatch)
