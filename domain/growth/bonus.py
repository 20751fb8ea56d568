"""The appraisal bonus: the points of a person's contributions dated in an appraisal cycle, at
most the policy's cap. ``Employee.appraisalBonus`` and ``salon export bonuses`` both read it
here, so the figure a person sees is the one the EHR imports.

A cycle is a month, quarter, half-year or year (``2026-10``, ``2026-Q4``, ``2026-H2``,
``2026``: the forms reviews use), and the cap bounds the cycle asked for — the bonus of a year
is capped once, not once per half.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from domain.growth.policy import PointsPolicy
from domain.models import Employee, GrowthRecord, Salon
from domain.periods import Period, PeriodError

DIGITS = 9  # a sum of policy points (0.5 + 0.1 …) is rounded here, so reruns and readers agree


@dataclass(frozen=True)
class Counted:
    """One contribution a bonus counts."""

    date: date
    salon_id: int | None
    salon_month: str | None
    kind: str
    points: float


@dataclass(frozen=True)
class Bonus:
    employee_id: str
    employee_row: int
    cycle: str
    points: float  # what counts: the earned points, at most the cap
    earned: float  # the contributions' points before the cap
    contributions: tuple[Counted, ...]

    @property
    def capped(self) -> bool:
        return self.points < self.earned


def parse_cycle(text: str) -> Period:
    """An appraisal cycle in any of its forms, or the error naming the ``cycle`` field."""
    try:
        return Period.parse_any(text)
    except PeriodError as error:
        raise PeriodError(error.reason, field="cycle") from None


def capped(earned: float, policy: PointsPolicy) -> float:
    return round(min(earned, policy.cap), DIGITS)


def bonuses(
    session: Session, cycle: Period, policy: PointsPolicy, employee_rows: Collection[int] | None = None
) -> list[Bonus]:
    """Everyone's bonus in ``cycle`` who has a contribution dated in it (only ``employee_rows``
    when given), by employee id; contributions by date."""
    statement = (
        select(GrowthRecord, Employee.employee_id, Salon.month)
        .join(Employee, col(Employee.id) == col(GrowthRecord.employee_id))
        .outerjoin(Salon, col(Salon.id) == col(GrowthRecord.salon_id))
        .where(
            col(GrowthRecord.contribution).is_not(None),
            col(GrowthRecord.date) >= cycle.start(),
            col(GrowthRecord.date) <= cycle.end(),
        )
        .order_by(
            col(Employee.employee_id),
            col(GrowthRecord.date),
            col(GrowthRecord.contribution),
            col(GrowthRecord.id),
        )
    )
    if employee_rows is not None:
        statement = statement.where(col(GrowthRecord.employee_id).in_(sorted(employee_rows)))
    found: dict[tuple[str, int], list[Counted]] = defaultdict(list)
    for record, employee_id, month in session.exec(statement):
        counted = Counted(record.date, record.salon_id, month, record.contribution, record.points)
        found[(employee_id, record.employee_id)].append(counted)
    result = []
    for (employee_id, row), counted in found.items():
        earned = round(sum(c.points for c in counted), DIGITS)
        result.append(Bonus(employee_id, row, str(cycle), capped(earned, policy), earned, tuple(counted)))
    return result


def appraisal_bonus(session: Session, employee_row: int, cycle: Period, policy: PointsPolicy) -> float:
    """One person's bonus in ``cycle`` (0 without contributions)."""
    found = bonuses(session, cycle, policy, [employee_row])
    return found[0].points if found else 0.0
