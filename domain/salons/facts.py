"""Loading one planning run's ``plugins.Facts`` from the database: the gap engine's results for
the data period, the people, and a year of monthly values for the charts.

Read-only and done once per run, whatever the number of departments planned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

import polars as pl
from sqlmodel import Session, col, select

from domain.disclosure import disclose
from domain.labels import load_labels
from domain.models import (
    Department,
    DepartmentValue,
    Employee,
    FeedbackTheme,
    Gap,
    GapDriver,
    GrowthNeed,
    GrowthRecord,
    Metric,
    Observation,
    Review,
    Target,
    TopPerformer,
)
from domain.periods import Period
from plugins.facts import (
    DepartmentFacts,
    DriverFacts,
    EmployeeFacts,
    Facts,
    GapFacts,
    GrowthNeedFacts,
    MetricFacts,
    ThemeFacts,
    ValueFacts,
)
from workers.analytics import growth as growth_rules  # the open-wish rule, written once there

SERIES_MONTHS = 12


def _last_months(period: Period, count: int) -> list[str]:
    months, month = [], period.months()[-1]
    for _ in range(count):
        months.append(str(month))
        month = month.previous()
    return sorted(months)


def load_facts(
    session: Session, month: Period, period: Period, series_departments: Collection[str] | None = None
) -> Facts:
    """The facts for planning ``month`` from ``period``; ``series_departments`` limits the
    employee-level series (the bulkiest part) to the departments being planned. Every
    department's own monthly values are loaded whatever is planned: an exchange draws its host's
    months against its attendees', and the host is rarely among the departments planned."""
    departments = {d.id: d for d in session.exec(select(Department))}
    metrics = {m.id: m for m in session.exec(select(Metric))}
    dept_code = {i: d.code for i, d in departments.items()}
    metric_code = {i: m.code for i, m in metrics.items()}
    end = period.end()
    scores: dict[int, tuple[str, float]] = {}
    for review in session.exec(select(Review)):
        if review.employee_id not in scores or review.cycle > scores[review.employee_id][0]:
            scores[review.employee_id] = (review.cycle, review.score)
    people = session.exec(select(Employee).where(col(Employee.hire_date) < month.start())).all()
    employee_code = {e.id: e.employee_id for e in people}
    employees = {
        e.employee_id: EmployeeFacts(
            employee_id=e.employee_id,
            name=e.name,
            department_code=dept_code[e.department_id],
            hire_date=e.hire_date,
            tenure_days=max(0, (end - e.hire_date).days),
            team=e.team,
            review_score=scores.get(e.id, (None, None))[1],
        )
        for e in people
    }
    p = str(period)
    gaps = tuple(
        GapFacts(
            department_code=dept_code[g.department_id], metric_code=metric_code[g.metric_id], period=g.period,
            actual=g.actual, target=g.target, previous=g.previous, change=g.change, attainment=g.attainment,
            below_target=g.below_target, worsening=g.worsening, severity=g.severity, contributors=g.contributors,
        )
        for g in session.exec(select(Gap).where(Gap.period == p))
    )  # fmt: skip
    drivers = _shown_drivers(session, p, dept_code, metric_code)
    months = [str(m) for m in period.months()]
    theme_counts: dict[tuple[str, str | None, str], int] = defaultdict(int)
    for t in session.exec(select(FeedbackTheme).where(col(FeedbackTheme.period).in_(months))):
        theme_counts[(dept_code[t.department_id], metric_code.get(t.metric_id), t.theme)] += t.count
    themes = tuple(
        ThemeFacts(d, m, theme, count) for (d, m, theme), count in sorted(theme_counts.items(), key=str)
    )
    needs = tuple(
        GrowthNeedFacts(
            department_code=dept_code[n.department_id], period=n.period, skill=n.skill, share=n.share,
            wishers=n.wishers, headcount=n.headcount, metric_code=metric_code.get(n.metric_id),
            metric_average=n.metric_average,
        )
        for n in session.exec(select(GrowthNeed).where(GrowthNeed.period == p))
    )  # fmt: skip
    top: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in session.exec(
        select(TopPerformer).where(TopPerformer.period == p).order_by(col(TopPerformer.rank))
    ):
        if row.employee_id in employee_code:
            top[(dept_code[row.department_id], metric_code[row.metric_id])].append(
                employee_code[row.employee_id]
            )
    records = session.exec(
        select(GrowthRecord.employee_id, GrowthRecord.date, GrowthRecord.kind, GrowthRecord.skill).where(
            col(GrowthRecord.date) <= end
        )
    ).all()
    growth = pl.DataFrame(records, schema=growth_rules.GROWTH_SCHEMA, orient="row")
    ends = pl.DataFrame({"period": [p], "end": [end]}, schema=growth_rules.ENDS_SCHEMA)
    wishes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for employee_id, skill in (
        growth_rules.open_wishes(growth, ends).select("employee_id", "skill").iter_rows()
    ):
        if employee_id in employee_code:
            code = employee_code[employee_id]
            wishes[(employees[code].department_code, skill)].append(code)
    return Facts(
        month=str(month),
        period=p,
        departments={d.code: DepartmentFacts(d.code, d.name) for d in departments.values()},
        metrics={
            m.code: MetricFacts(m.code, m.name, m.unit, m.direction, m.skill, m.aggregation)
            for m in metrics.values()
        },
        employees=employees,
        gaps=gaps,
        drivers=drivers,
        themes=themes,
        growth_needs=needs,
        top_performers={k: tuple(v) for k, v in top.items()},
        wishes={k: tuple(sorted(v)) for k, v in wishes.items()},
        labels=load_labels(session.connection()),
        series=_series(session, period, dept_code, metric_code, employee_code, series_departments),
    )


def _shown_drivers(
    session: Session, period: str, dept_code: dict[int, str], metric_code: dict[int, str]
) -> tuple[DriverFacts, ...]:
    """Drivers as everyone in the room may see them: a salon's texts and charts reach the whole
    department, so small segments are merged the way ``Gap.drivers`` shows them to non-admins
    (no person's own share, no group under five people to be read off or subtracted)."""
    grouped: dict[tuple[int, int], list[GapDriver]] = defaultdict(list)
    statement = select(GapDriver).where(GapDriver.period == period, GapDriver.dimension != "employee")
    for row in session.exec(statement):
        grouped[(row.department_id, row.metric_id)].append(row)
    return tuple(
        DriverFacts(
            dept_code[department_id],
            metric_code[metric_id],
            d.dimension,
            d.segment,
            d.share,
            d.people,
            d.people_share,
            d.over_representation,
        )
        for (department_id, metric_id), rows in sorted(grouped.items())
        for d in disclose(rows)
    )


def _series(
    session, period, dept_code, metric_code, employee_code, series_departments
) -> tuple[ValueFacts, ...]:
    months = _last_months(period, SERIES_MONTHS)
    targets = {
        (t.metric_id, t.department_id, t.period): t.target
        for t in session.exec(select(Target).where(col(Target.period).in_(months)))
    }
    rows = [
        ValueFacts(
            dept_code[v.department_id], metric_code[v.metric_id], v.period, v.value,
            target=targets.get((v.metric_id, v.department_id, v.period)),
        )
        for v in session.exec(select(DepartmentValue).where(col(DepartmentValue.period).in_(months)))
    ]  # fmt: skip
    wanted = [i for i, code in dept_code.items() if series_departments is None or code in series_departments]
    statement = select(Observation).where(
        col(Observation.period).in_(months),
        col(Observation.employee_id).is_not(None),
        col(Observation.department_id).in_(wanted),
    )
    rows += [
        ValueFacts(
            dept_code[o.department_id],
            metric_code[o.metric_id],
            o.period,
            o.value,
            employee_code[o.employee_id],
        )
        for o in session.exec(statement)
        if o.employee_id in employee_code
    ]
    return tuple(rows)
