"""A plan's milestones: even steps from the baseline to the goal, one per month or quarter.

The steps start in the month after the salon (after the plan's creation when it follows no
salon) and end at the deadline, so the last milestone is the goal itself. A month is measured
against the latest milestone *due* by then — a monthly one in its month, a quarterly one in the
quarter's last month — and against the baseline before the first is due: people are not
judged on a step whose time has not come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.errors import InvalidArgument
from domain.models.plans import MilestoneEvery
from domain.periods import Period


@dataclass(frozen=True)
class Milestone:
    period: Period  # a month, or a quarter for quarterly milestones
    due: Period  # the month it is measured in (a quarter's last month)
    target_value: float


class _Dated(Protocol):
    created_at: datetime


def plan_start(plan: _Dated, salon_month: Period | str | None) -> Period:
    """The plan's first month: the month after its salon's (``salon_month``), or after the month
    it was created in when it follows no salon — the first month people could act on it."""
    if salon_month is not None:
        month = Period.parse(salon_month) if isinstance(salon_month, str) else salon_month
    else:
        month = Period(plan.created_at.year, month=plan.created_at.month)
    return month.next()


def deadline_month(deadline: Period) -> Period:
    """The month a deadline ends in (a quarter's last month)."""
    return deadline.months()[-1]


def milestones(
    baseline: float, goal_value: float, start: Period, deadline: Period, every: MilestoneEvery | str
) -> list[Milestone]:
    """The plan's milestones from ``start`` (a month) to ``deadline`` (month or quarter)."""
    every = MilestoneEvery(every)
    end = deadline_month(deadline)
    if end < start:
        raise InvalidArgument(f"{deadline} is before the plan's first month {start}", field="deadline")
    if every is MilestoneEvery.MONTH:
        periods, month = [], start
        while month <= end:
            periods.append(month)
            month = month.next()
        dues = periods
    else:
        periods, quarter = [], start.quarter_of()
        while quarter <= end.quarter_of():
            periods.append(quarter)
            quarter = quarter.next()
        dues = [min(q.months()[-1], end) for q in periods]
    steps = len(periods)
    return [
        Milestone(period, due, baseline + (goal_value - baseline) * (k + 1) / steps)
        for k, (period, due) in enumerate(zip(periods, dues, strict=True))
    ]


def due_by(plan_milestones: list[Milestone], month: Period) -> Milestone | None:
    """The latest milestone due in or before ``month``; None before the first."""
    due = [m for m in plan_milestones if m.due <= month]
    return due[-1] if due else None
