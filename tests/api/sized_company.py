"""A company of any size with one of every result per department, for query-count tests.

Every department has people (a manager and reports), gaps on two metrics with drivers and
feedback themes, named and anonymous feedback, growth needs and top performers, so each field of
the HR overview and the department screen has rows to load at every size: a statement per
department would show up as a different count between two sizes.

ROOT ─┬─ D00 ─ D00-SUB
      ├─ D01 ─ D01-SUB
      └─ …     (``grow`` adds branches: the same company, larger)
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlmodel import select

from domain.db import session_scope
from domain.models import (
    Department,
    Employee,
    Feedback,
    FeedbackTheme,
    Gap,
    GapDriver,
    GrowthNeed,
    GrowthRecord,
    Metric,
    Review,
    TopPerformer,
)

PERIOD = "2026-10"
METRICS = ("defect_rate", "output")
HIRED = dt.date(2020, 1, 1)


def build(engine: Engine, branches: int, people: int = 4) -> dict[str, int]:
    """``branches`` departments under a root, each with one sub-department, ``people`` each;
    returns department codes and employee ids → row ids."""
    with session_scope(engine) as s:
        metrics = [Metric(code=code, name=code, direction="lower") for code in METRICS]
        root = Department(code="ROOT", name="总部")
        s.add_all([root, *metrics])
        s.flush()
        ids = _branches(s, root, metrics, range(branches), people)
        ids.update(_staff(s, root, metrics, people))
        return ids


def grow(engine: Engine, branches: int, people: int = 4) -> dict[str, int]:
    """Add ``branches`` more branches to a company ``build`` wrote: the same company, larger."""
    with session_scope(engine) as s:
        root = s.exec(select(Department).where(Department.code == "ROOT")).one()
        metrics = [s.exec(select(Metric).where(Metric.code == code)).one() for code in METRICS]
        first = len(s.exec(select(Department.id).where(Department.parent_id == root.id)).all())
        return _branches(s, root, metrics, range(first, first + branches), people)


def _branches(s, root: Department, metrics: list[Metric], numbers: range, people: int) -> dict[str, int]:
    departments = []
    for b in numbers:
        branch = Department(code=f"D{b:02d}", name=f"部门{b}", parent_id=root.id)
        s.add(branch)
        s.flush()
        sub = Department(code=f"D{b:02d}-SUB", name=f"车间{b}", parent_id=branch.id)
        s.add(sub)
        s.flush()
        departments += [branch, sub]
    ids: dict[str, int] = {d.code: d.id for d in departments}
    for department in departments:
        ids.update(_staff(s, department, metrics, people))
    return ids


def _staff(s, department: Department, metrics: list[Metric], people: int) -> dict[str, int]:
    boss = Employee(
        employee_id=f"{department.code}-M", name="经理", department_id=department.id, hire_date=HIRED
    )
    s.add(boss)
    s.flush()
    staff = [boss]
    for i in range(people - 1):
        staff.append(
            Employee(
                employee_id=f"{department.code}-{i}",
                name=f"员工{i}",
                department_id=department.id,
                hire_date=HIRED,
                manager_id=boss.id,
                team="一组",
            )
        )
    s.add_all(staff[1:])
    s.flush()
    for person in staff:
        s.add(Review(employee_id=person.id, cycle="2026-H1", score=80))
        s.add(GrowthRecord(employee_id=person.id, date=dt.date(2026, 3, 1), kind="training", skill="sql"))
    where = {"department_id": department.id, "period": PERIOD}
    for n, metric in enumerate(metrics):
        s.add(
            Gap(
                metric_id=metric.id,
                **where,
                actual=0.05,
                target=0.03,
                below_target=True,
                worsening=False,
                severity=5.0 + n,
                contributors=people,
            )
        )
        s.add_all(
            [
                GapDriver(
                    metric_id=metric.id,
                    **where,
                    dimension="tenure",
                    segment="experienced",
                    share=0.6,
                    people=people,
                ),
                GapDriver(
                    metric_id=metric.id, **where, dimension="team", segment="一组", share=0.4, people=2
                ),
                GapDriver(
                    metric_id=metric.id,
                    **where,
                    dimension="employee",
                    segment=staff[-1].employee_id,
                    share=0.2,
                    people=1,
                ),
                FeedbackTheme(metric_id=metric.id, **where, theme="speed", count=3),
                FeedbackTheme(metric_id=metric.id, **where, theme="training", count=1),
                TopPerformer(metric_id=metric.id, **where, rank=1, employee_id=staff[-1].id, value=0.01),
                TopPerformer(metric_id=metric.id, **where, rank=2, employee_id=staff[0].id, value=0.02),
            ]
        )
        s.add(
            GrowthNeed(
                **where,
                skill=f"skill-{n}",
                share=0.5,
                wishers=2,
                headcount=people,
                metric_id=metric.id,
                metric_average=0.05,
            )
        )
    s.add_all(
        [
            Feedback(
                fingerprint=f"{department.code}-a",
                employee_id=staff[-1].id,
                **where,
                metric_id=metrics[0].id,
                text="the line is too fast",
                themes=["speed"],
            ),
            Feedback(
                fingerprint=f"{department.code}-b",
                employee_id=None,
                **where,
                metric_id=metrics[0].id,
                text="training is missing",
                themes=["training"],
            ),
        ]
    )
    return {person.employee_id: person.id for person in staff}
