"""The goal is ``baseline × (1 + goalChange)`` and must improve the metric in its direction."""

from __future__ import annotations

import pytest

from domain.errors import InvalidArgument
from domain.periods import Period
from domain.plans.baseline import Baseline, goal_value

SEPTEMBER = Period.parse("2026-09")


@pytest.mark.parametrize(
    ("baseline", "change", "direction", "goal"),
    [
        (0.10, -0.2, "lower", 0.08),  # bug rate down 20%
        (0.10, -1.0, "lower", 0.0),  # down to none at all
        (200.0, 0.3, "higher", 260.0),  # output up 30%
        (-10.0, -0.5, "higher", -5.0),  # a loss halved raises a higher-is-better margin
    ],
)
def test_a_goal_that_improves_the_metric(baseline, change, direction, goal):
    assert goal_value(Baseline(SEPTEMBER, baseline), change, direction, "m") == pytest.approx(goal)


@pytest.mark.parametrize(
    ("baseline", "change", "direction", "refusal"),
    [
        (0.10, 0.2, "lower", "goal_change: +20% worsens m (lower is better, baseline 0.1 in 2026-09)"),
        (200.0, -0.1, "higher", "goal_change: -10% worsens m (higher is better, baseline 200 in 2026-09)"),
        (-10.0, 0.5, "higher", "goal_change: +50% worsens m (higher is better, baseline -10 in 2026-09)"),
        (200.0, 0.0, "higher", "goal_change: 0% does not change m"),
        (
            0.0,
            -0.2,
            "lower",
            "goal_change: the baseline of m (2026-09) is 0: a goal relative to it cannot move it",
        ),
        (1.0, float("nan"), "lower", "goal_change: must be a finite number"),
        (1e308, 10.0, "higher", "goal_change: 10.0 puts the goal out of range"),
    ],
)
def test_a_goal_in_the_wrong_direction_or_out_of_range_is_refused(baseline, change, direction, refusal):
    with pytest.raises(InvalidArgument) as refused:
        goal_value(Baseline(SEPTEMBER, baseline), change, direction, "m")

    assert str(refused.value).startswith(refusal)
