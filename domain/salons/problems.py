"""The problems plugins cause while planning: each one line naming the plugin (its name,
distribution or plugins-folder file), the hook and the cause; logged by the worker — with the
traceback when the plugin raised — and summed up in the job's result, so that a job in which
plugins failed never reads as a bare success.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from plugins.registry import PluginError, PluginInfo, RegisteredFormat

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanProblem:
    department_code: str
    plugin: str  # the plugin's name (its entry point's)
    message: str  # one line naming the plugin, its distribution, the hook and the cause
    hook: str = ""  # fit, build, prepare_salon_draft
    origin: str = ""  # the plugin's distribution and version (or its SALON_PLUGINS_DIR file)

    def to_json(self) -> dict[str, str]:
        return {
            "department": self.department_code,
            "plugin": self.plugin,
            "origin": self.origin,
            "hook": self.hook,
            "message": self.message,
        }


class Problems:
    """The plan's problems, one per plugin, hook and department, each logged once."""

    def __init__(self, problems: list[PlanProblem], department_code: str) -> None:
        self.problems, self.department_code, self.seen = problems, department_code, set()

    def add(
        self, info: PluginInfo, hook: str, message: str, error: BaseException | None = None, about: str = ""
    ) -> None:
        if (info.name, hook, about) in self.seen:
            return
        self.seen.add((info.name, hook, about))
        origin = info.origin if (info.distribution or info.path) else ""
        self.problems.append(PlanProblem(self.department_code, info.name, message, hook, origin))
        extra = {"plugin": info.name, "hook": hook, "department": self.department_code}
        if error is not None and not isinstance(error, PluginError):
            log.error("%s (department %s)", message, self.department_code, exc_info=error, extra=extra)
        else:
            log.warning("%s (department %s)", message, self.department_code, extra=extra)

    def failed(self, registered: RegisteredFormat, hook: str, error: Exception) -> None:
        info = registered.info or PluginInfo(registered.plugin)
        key = registered.format.key
        if isinstance(error, PluginError):  # already names the plugin at fault
            self.add(info, hook, str(error), error, key)
            return
        message = f"plugin {info.label}: format {key!r}.{hook} raised {type(error).__name__}: {error}"
        self.add(info, hook, message, error, key)


def failure_summary(problems: list[PlanProblem], kept: list[str]) -> dict[str, Any]:
    """What the job result says when plugins failed (nothing when none did): which plugins, and
    a one-line ``warning`` — the job SUCCEEDED, but not everything went as planned."""
    if not problems:
        return {}
    failed = sorted({(p.plugin, p.origin) for p in problems})
    named = ", ".join(f"{name!r} from {origin}" if origin else repr(name) for name, origin in failed)
    kept_note = f"; kept the earlier proposal of {', '.join(kept)}" if kept else ""
    return {
        "plugins_failed": [{"plugin": name, "origin": origin} for name, origin in failed],
        "kept_after_failures": kept,
        "warning": f"plugins failed: {named} ({len(problems)} problem(s) in {len({p.department_code for p in problems})} department(s), see problems){kept_note}",
    }
