"""``salon plugins`` and ``salon explain``, and what an operator sees when a plugin cannot load:
one line naming it, the traceback only at DEBUG, and SALON_DISABLE_PLUGINS to start without it."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from domain.db import make_engine
from domain.salons.planning import plan_month
from tests.support import plugin_dists
from tests.support.processes import run_salon, salon_env
from workers.rebuild import rebuild

SETTINGS = """
from plugins import Setting, hookimpl


@hookimpl
def register_settings():
    return [Setting("minutes", int, 45, "How long the circle runs")]
"""
RETRO = plugin_dists.RETRO + SETTINGS


def _env_with(root, **settings) -> dict[str, str]:
    """The salon command's environment with ``root`` (a made-up site folder) on its path."""
    paths = [str(root), os.environ.get("PYTHONPATH", "")]
    return salon_env(PYTHONPATH=os.pathsep.join(p for p in paths if p), **settings)


def test_plugins_lists_distribution_version_entry_point_hooks_formats_and_settings(tmp_path, monkeypatch):
    plugin_dists.install(tmp_path, monkeypatch, "salon-retro", "salon_retro", RETRO, "retro")
    env = _env_with(tmp_path, SALON_PLUGIN_RETRO_MINUTES="30", SALON_LOCALE="en")

    listed = run_salon("plugins", "--json", env=env)
    text = run_salon("plugins", env=env)

    assert listed.returncode == 0, listed.stderr
    plugins = {p["name"]: p for p in json.loads(listed.stdout)["plugins"]}
    assert sorted(plugins) == [
        "cross_department_exchange",
        "data_review_workshop",
        "email_channel",  # the product's own notification channels are plugins too
        "in_app_channel",
        "retro",
        "skill_sharing",
    ]
    assert plugins["email_channel"]["hooks"] == ["register_notification_channels"]
    assert plugins["retro"] == {
        "name": "retro",
        "distribution": "salon-retro",
        "version": "1.0",
        "entry_point": "retro = salon_retro",
        "path": None,
        "hooks": ["register_salon_formats", "register_settings"],
        "formats": [{"key": "retro_circle", "name": "Retro circle"}],
        "settings": [
            {
                "name": "minutes",
                "variable": "SALON_PLUGIN_RETRO_MINUTES",
                "type": "int",
                "value": 30,
                "default": 45,
                "source": "SALON_PLUGIN_RETRO_MINUTES",
                "help": "How long the circle runs",
            }
        ],
    }
    assert plugins["skill_sharing"]["distribution"] == "ehr-salon"
    assert text.returncode == 0, text.stderr
    assert "retro  salon-retro 1.0  (entry point retro = salon_retro)" in text.stdout.splitlines()
    assert (
        "  settings: SALON_PLUGIN_RETRO_MINUTES = 30  (int, default 45, from SALON_PLUGIN_RETRO_MINUTES)  "
        "How long the circle runs"
    ) in text.stdout.splitlines()


def test_a_plugin_that_cannot_load_stops_the_start_in_one_line(tmp_path, monkeypatch):
    plugin_dists.install(
        tmp_path,
        monkeypatch,
        "salon-broken",
        "salon_broken",
        "import salon_helpers_not_installed\n",
        "broken",
    )
    env = _env_with(tmp_path, SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'salon.db'}")

    served = run_salon("serve", "--port", "1", env=env)
    debug = run_salon("plugins", env={**env, "SALON_LOG_LEVEL": "DEBUG"})
    disabled = run_salon("plugins", env={**env, "SALON_DISABLE_PLUGINS": "broken"})

    assert served.returncode == 1
    assert served.stderr.strip().splitlines()[-1] == (
        "Error: plugin 'broken' (entry point broken = salon_broken in salon-broken 1.0) cannot be loaded: "
        "ModuleNotFoundError: No module named 'salon_helpers_not_installed' "
        "(SALON_DISABLE_PLUGINS=broken starts without it)"
    )
    assert "Traceback" not in served.stderr
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr
    assert 'salon_broken.py", line 1' in debug.stderr  # where the author's import failed
    assert disabled.returncode == 0, disabled.stderr
    assert "broken" not in disabled.stdout.split("disabled (SALON_DISABLE_PLUGINS)")[0]
    assert disabled.stdout.splitlines()[-1] == "disabled (SALON_DISABLE_PLUGINS): broken"


def test_a_plugin_setting_that_cannot_be_used_stops_the_start_in_one_line(tmp_path, monkeypatch):
    plugin_dists.install(tmp_path, monkeypatch, "salon-retro", "salon_retro", RETRO, "retro")

    result = run_salon("plugins", env=_env_with(tmp_path, SALON_PLUGIN_RETRO_MINUTES="lots"))

    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "Error: invalid settings: SALON_PLUGIN_RETRO_MINUTES: not a whole number: 'lots'"
    )


@pytest.fixture
def demo_url(sqlite_demo_file, tmp_path) -> str:
    path = tmp_path / "demo.db"
    shutil.copy(sqlite_demo_file, path)
    engine = make_engine(f"sqlite:///{path}")
    rebuild(engine)
    engine.dispose()
    return f"sqlite:///{path}"


def test_explain_prints_the_planners_numbers_and_marks_what_it_builds(demo_url):
    env = salon_env(SALON_DATABASE_URL=demo_url)

    result = run_salon("explain", "--month", "2026-11", "--department", "TECH", "--locale", "en", env=env)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["#", "topic", "severity", "relevance", "format", "fit", "score", "reason"]
    formats = ("cross_department_exchange", "data_review_workshop", "skill_sharing")
    rows = [line for line in lines[1:] if any(key in line for key in formats)]
    assert len(rows) == len(lines) - 1 and len(rows) % 3 == 0  # every format for every topic
    (marked,) = [line for line in rows if "* " in line]
    engine = make_engine(demo_url)
    planned = plan_month(engine, "2026-11", ["TECH"])["salons"]
    engine.dispose()
    assert f"* {planned[0]['format']} " in marked  # the pair it marks is the one planning builds
    assert lines[1].startswith("1  ") and "1.00" in lines[1]  # the top topic: relevance 1


def test_explain_names_the_flag_at_fault(demo_url):
    env = salon_env(SALON_DATABASE_URL=demo_url)

    unknown = run_salon("explain", "--month", "2026-11", "--department", "NOPE", env=env)
    quarter = run_salon("explain", "--month", "2026-Q4", "--department", "TECH", env=env)

    assert (
        unknown.returncode == 1 and unknown.stderr.strip() == "Error: --department: unknown department 'NOPE'"
    )
    assert quarter.returncode == 1 and quarter.stderr.strip().startswith("Error: --month: ")
