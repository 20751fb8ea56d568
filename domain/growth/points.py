"""The points a contribution earns: the policy's for its kind, unless a plugin decides
(the ``contribution_points`` hook). Decided once, when the contribution is recorded."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pluggy

from domain.growth.policy import PointsPolicy, load_policy
from plugins.contributions import Contribution
from plugins.registry import PluginError, call_each, get_plugin_manager
from plugins.settings import NO_SETTINGS

HOOK = "contribution_points"


@dataclass(frozen=True)
class Scorer:
    policy: PointsPolicy
    manager: pluggy.PluginManager | None = None  # None: the policy alone

    @classmethod
    def installed(cls, policy_path: str | None) -> Scorer:
        """The settings' policy and the installed plugins (loaded now, so a plugin installed
        since the last contribution counts)."""
        return cls(load_policy(policy_path), get_plugin_manager())

    def points(self, contribution: Contribution) -> float:
        """The policy's points, or the first plugin's (in pluggy's order) that returns some."""
        points = self.policy.of(contribution.kind)
        manager = self.manager
        if manager is None or not _impls(manager):
            return points
        settings_of = getattr(manager, "settings_of", lambda name: NO_SETTINGS)
        per_plugin = {
            impl.plugin_name: {"settings": settings_of(impl.plugin_name)} for impl in _impls(manager)
        }
        answers = call_each(
            manager, HOOK, per_plugin, contribution=contribution, points=points, settings=NO_SETTINGS
        )
        for plugin, result in answers:  # a generator: the first answer ends the calls
            if result is None:
                continue
            if isinstance(result, bool) or not isinstance(result, int | float) or not math.isfinite(result):
                raise PluginError(
                    f"plugin {_label(manager, plugin)}: {HOOK} returned {result!r}, not a number",
                    plugin=plugin,
                )
            if result < 0:
                raise PluginError(
                    f"plugin {_label(manager, plugin)}: {HOOK} returned {result}, below 0", plugin=plugin
                )
            return float(result)
        return points


def _impls(manager: pluggy.PluginManager) -> list:
    return getattr(manager.hook, HOOK).get_hookimpls()


def _label(manager: pluggy.PluginManager, plugin: str) -> str:
    """How messages name a plugin (``'bonus' from salon-bonus 1.0``), as planning's do."""
    info = getattr(manager, "info", None)
    return info(plugin).label if info else repr(plugin)
