"""``Employee.metrics``: a person's value of each metric next to their department's value, its
people's average, their rank and the target, in one month or quarter.

Read when asked (one person, one department, one period: a few hundred rows) and computed by the
same individual figures top performers use (``workers.analytics.individual``), so a person's
quarter rolls up as the department's does. The department is the person's current one, and the
numbers are those its observation rows carry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl
from sqlmodel import Session, col, select

from domain.disclosure import MIN_SEGMENT
from domain.models import Employee, Gap, Metric, Observation
from domain.periods import Period, kpi_period
from workers.analytics.individual import individual_periods
from workers.analytics.periods import slot_period
from workers.analytics.rollup import METRIC_KINDS_SCHEMA, OBSERVATIONS_SCHEMA
from workers.analytics.standing import standings as standings_of


@dataclass(frozen=True)
class Standing:
    metric_id: int
    period: str
    value: float | None
    department_value: float | None
    department_average: float | None  # None below ``MIN_SEGMENT`` people for a viewer who may not see them
    rank_in_department: int | None
    target: float | None
    people: int  # colleagues with a value, the person included


def _frame(session: Session, statement, schema: pl.Schema) -> pl.DataFrame:
    rows = [tuple(row) for row in session.exec(statement)]
    return pl.DataFrame(rows, schema=schema, orient="row")


def standings(
    session: Session, people: Sequence[Employee], period: Period, *, sees_colleagues: Callable[[int], bool]
) -> dict[int, list[Standing]]:
    """Each person's standing (by employee row) on every metric they or their department have a
    value of in ``period``, by metric code; one read for everyone's departments.

    ``sees_colleagues(department_id)``: the viewer may see that department's people (its
    managers, HR). For anyone else — the person themself — an average of fewer than
    ``MIN_SEGMENT`` people is withheld: with their own value, it would give a colleague's away."""
    period = kpi_period(period)
    if not people:
        return {}
    months = [str(month) for month in period.months()]
    departments = sorted({person.department_id for person in people})
    observations = _frame(
        session,
        select(*(col(getattr(Observation, name)) for name in OBSERVATIONS_SCHEMA.names())).where(
            col(Observation.department_id).in_(departments),
            col(Observation.period).in_(months),
            col(Observation.employee_id).is_not(None),
        ),
        OBSERVATIONS_SCHEMA,
    )
    kinds = _frame(session, select(Metric.id, Metric.direction, Metric.aggregation), METRIC_KINDS_SCHEMA)
    individual = individual_periods(observations, kinds).filter(slot_period(pl.col("slot")) == str(period))
    gaps = session.exec(
        select(Gap.department_id, Gap.metric_id, Gap.actual, Gap.target).where(
            col(Gap.department_id).in_(departments), Gap.period == str(period)
        )
    ).all()
    department_values = {
        (department, metric): (actual, target) for department, metric, actual, target in gaps
    }
    codes = dict(session.exec(select(Metric.id, Metric.code)).all())
    return {
        person.id: _standings(
            person, str(period), individual, department_values, codes, sees_colleagues(person.department_id)
        )
        for person in people
    }


def _standings(
    person: Employee,
    period: str,
    individual: pl.DataFrame,
    department_values: dict[tuple[int, int], tuple[float, float | None]],
    codes: dict[int, str],
    sees_colleagues: bool,
) -> list[Standing]:
    department = person.department_id
    own = standings_of(individual.filter(pl.col("department_id") == department), person.id)
    found = {row["metric_id"]: row for row in own.iter_rows(named=True)}
    metric_ids = set(found) | {metric for (dept, metric) in department_values if dept == department}
    result = []
    for metric_id in sorted(metric_ids, key=lambda metric: codes.get(metric, "")):
        mine = found.get(metric_id, {})
        people = mine.get("people") or 0
        average = mine.get("department_average")
        if not sees_colleagues and people < MIN_SEGMENT:
            average = None
        actual, target = department_values.get((department, metric_id), (None, None))
        result.append(
            Standing(
                metric_id=metric_id,
                period=period,
                value=mine.get("value"),
                department_value=actual,
                department_average=average,
                rank_in_department=mine.get("rank"),
                target=target,
                people=people,
            )
        )
    return result
