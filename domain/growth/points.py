"""The points a contribution earns: the policy's for its kind, unless a plugin decides
(the ``contribution_points`` hook). Decided once, when the contribution is recorded."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pluggy

from domain.growth.policy import PointsPolicy, load_policy
from plugins.contributions import Contribution
from plugins.registry import PluginError, call_each, get_plugin_manager

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
        if self.manager is None or not getattr(self.manager.hook, HOOK).get_hookimpls():
            return points
        for plugin, result in call_each(self.manager, HOOK, contribution=contribution, points=points):
            if result is None:
                continue
            if isinstance(result, bool) or not isinstance(result, int | float) or not math.isfinite(result):
                raise PluginError(
                    f"plugin {plugin!r}: {HOOK} returned {result!r}, not a number", plugin=plugin
                )
            if result < 0:
                raise PluginError(f"plugin {plugin!r}: {HOOK} returned {result}, below 0", plugin=plugin)
            return float(result)
        return points
