"""Where a plan starts and where it aims: the baseline and the goal.

The baseline is the department's value of the metric in the last month with data *before* the
salon's month (before the month the plan is made in, when it follows no salon): what people
had in front of them when they committed, never a month the salon itself could have moved.
The goal is relative to it — ``goal_value = baseline × (1 + goal_change)`` — and must improve
the metric in its own direction: a plan to raise a defect rate is a typo, not a plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlmodel import Session, col, select

from domain.errors import InvalidArgument
from domain.models import DepartmentValue
from domain.periods import Period
from domain.vocabulary import Direction


@dataclass(frozen=True)
class Baseline:
    period: Period
    value: float


def find_baseline(session: Session, department_id: int, metric_id: int, before: Period) -> Baseline | None:
    """The department's value in the last month with data before ``before`` (a month)."""
    row = session.exec(
        select(DepartmentValue.period, DepartmentValue.value)
        .where(
            DepartmentValue.department_id == department_id,
            DepartmentValue.metric_id == metric_id,
            col(DepartmentValue.period) < str(before),
        )
        .order_by(col(DepartmentValue.period).desc())
        .limit(1)
    ).first()
    return None if row is None else Baseline(Period.parse(row[0]), float(row[1]))


def _percent(change: float) -> str:
    return f"{change:+.0%}" if change else "0%"


def goal_value(baseline: Baseline, goal_change: float, direction: Direction | str, metric: str) -> float:
    """``baseline × (1 + goal_change)``, refused (field ``goal_change``) when it does not improve
    ``metric`` (its name, for the message) in ``direction``, or cannot be a value of it."""
    if not math.isfinite(goal_change) or goal_change < -1:
        raise InvalidArgument(
            f"must be a finite number of at least -1 (-100%), got {goal_change}", field="goal_change"
        )
    if baseline.value == 0:
        raise InvalidArgument(
            f"the baseline of {metric} ({baseline.period}) is 0: a goal relative to it cannot move it",
            field="goal_change",
        )
    goal = baseline.value * (1 + goal_change)
    if not math.isfinite(goal):
        raise InvalidArgument(f"{goal_change} puts the goal out of range", field="goal_change")
    better = Direction(direction) is Direction.HIGHER_IS_BETTER
    improves = goal > baseline.value if better else goal < baseline.value
    if not improves:
        way = "higher" if better else "lower"
        effect = "does not change" if goal == baseline.value else "worsens"
        raise InvalidArgument(
            f"{_percent(goal_change)} {effect} {metric} ({way} is better, baseline {baseline.value:g} "
            f"in {baseline.period}): a goal must improve it",
            field="goal_change",
        )
    return goal
