"""Third-party plugin distributions made on the fly: a module plus a ``.dist-info`` with an
``entry_points.txt`` on ``sys.path`` — exactly what ``pip install`` leaves behind, so the host
finds them through ``importlib.metadata`` entry points like any installed package."""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
from pathlib import Path

RETRO = """
from plugins import AgendaItem, SalonDraft, SalonFormat, hookimpl


class RetroCircle(SalonFormat):
    key = "retro_circle"
    name = {"zh-CN": "复盘圈", "en": "Retro circle"}
    description = "Everyone says what went well and what did not."

    def fit(self, topic, context):
        return 1.0 if topic.kind == "shortfall" else 0.0

    def build(self, topic, context):
        title = {"zh-CN": "复盘圈：", "en": "Retro circle: "}[context.locale]
        return SalonDraft(
            title=title + context.metric(topic.metric_code).name,
            agenda=[AgendaItem(title="Went well / did not", minutes=45)],
            questions=["What would we do differently?"],
            participants=[e.employee_id for e in context.employees()],
        )


@hookimpl
def register_salon_formats():
    return [RetroCircle()]
"""

FLAKY = """
import pluggy

from plugins import SalonFormat

hookimpl = pluggy.HookimplMarker("salon")  # no import of our internals needed


class Flaky(SalonFormat):
    key = "flaky"
    name = "Flaky"
    description = "Fits one department perfectly, then breaks."

    def fit(self, topic, context):
        return 1.0 if topic.department_code == "SALES" else 0.0

    def build(self, topic, context):
        raise RuntimeError("the flaky plugin broke")


@hookimpl
def register_salon_formats():
    return [Flaky()]
"""


def install(
    root: Path,
    monkeypatch,
    distribution: str,
    module: str,
    source: str,
    entry_point: str | None = None,
    value: str | None = None,
) -> None:
    """Put ``module`` and its distribution's metadata under ``root`` and ``root`` on sys.path;
    the entry point names the module, or ``value`` (``module:attribute``)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = root / f"{distribution}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[salon.plugins]\n{entry_point or module} = {value or module}\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.delitem(sys.modules, module, raising=False)
    importlib.invalidate_caches()


def environ(**variables: str) -> dict[str, str]:
    """An environment for ``get_plugin_manager(environ=…)``: ``variables``, with the plugins the
    test run leaves out (``SALON_DISABLE_PLUGINS`` as the root conftest set it: every installed
    plugin that is not the product's own) still left out."""
    disabled = [os.environ.get("SALON_DISABLE_PLUGINS", ""), variables.pop("SALON_DISABLE_PLUGINS", "")]
    joined = ",".join(name for name in disabled if name)
    return {**variables, **({"SALON_DISABLE_PLUGINS": joined} if joined else {})}


def foreign_plugins() -> list[str]:
    """Entry point names of installed plugins that are not the product's own — the example
    plugin ``make test`` installs, or whatever a developer has installed."""
    from importlib.metadata import entry_points

    from plugins.hookspecs import ENTRY_POINT_GROUP

    return sorted(
        {
            ep.name
            for ep in entry_points(group=ENTRY_POINT_GROUP)
            if ep.dist is None or ep.dist.name != "ehr-salon"
        }
    )
