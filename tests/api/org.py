"""A small organisation for permission tests, with a nested department and one of everything.

HQ ─┬─ PROD ── PROD-A
    └─ CS
People: H1 (HQ), P1 (PROD, manager of P2), P2 (PROD), A1 (PROD-A), C1 (CS).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from domain.db import session_scope
from domain.models import (
    Department,
    Employee,
    Feedback,
    Gap,
    GapDriver,
    GrowthRecord,
    Metric,
    Review,
    TopPerformer,
)

PERIOD = "2026-10"


def build(engine: Engine) -> dict[str, int]:
    """Write the organisation; returns department codes and employee ids → row ids."""
    with session_scope(engine) as s:
        hq = Department(code="HQ", name="总部")
        s.add(hq)
        s.flush()
        prod, cs = (
            Department(code="PROD", name="生产部", parent_id=hq.id),
            Department(code="CS", name="客服部", parent_id=hq.id),
        )
        s.add_all([prod, cs])
        s.flush()
        sub = Department(code="PROD-A", name="一车间", parent_id=prod.id)
        s.add(sub)
        s.flush()
        hired = dt.date(2020, 1, 1)
        people = {
            "H1": Employee(employee_id="H1", name="韩一", department_id=hq.id, hire_date=hired),
            "P1": Employee(
                employee_id="P1", name="裴一", department_id=prod.id, hire_date=hired, email="p1@example.com"
            ),
            "A1": Employee(employee_id="A1", name="安一", department_id=sub.id, hire_date=hired),
            "C1": Employee(employee_id="C1", name="曹一", department_id=cs.id, hire_date=hired),
        }
        s.add_all(people.values())
        s.flush()
        people["P2"] = Employee(
            employee_id="P2",
            name="裴二",
            department_id=prod.id,
            hire_date=hired,
            email="p2@example.com",
            manager_id=people["P1"].id,
            team="一组",
        )
        s.add(people["P2"])
        metric = Metric(code="defect_rate", name="不良率", direction="lower")
        s.add(metric)
        s.flush()
        for code, person in people.items():
            s.add(Review(employee_id=person.id, cycle="2026-H1", score=80 + len(code)))
            s.add(
                GrowthRecord(
                    employee_id=person.id,
                    date=dt.date(2026, 3, 1),
                    kind="training",
                    skill="sql",
                    note=f"{code} note",
                )
            )
        s.add_all(
            [
                Feedback(
                    fingerprint="f1",
                    employee_id=people["P2"].id,
                    department_id=prod.id,
                    period=PERIOD,
                    metric_id=metric.id,
                    text="P2 says the line is too fast",
                    themes=["speed"],
                ),
                Feedback(
                    fingerprint="f2",
                    employee_id=None,
                    department_id=prod.id,
                    period=PERIOD,
                    metric_id=metric.id,
                    text="anonymous: training is missing",
                    themes=["training"],
                ),
                Feedback(
                    fingerprint="f3",
                    employee_id=people["C1"].id,
                    department_id=cs.id,
                    period=PERIOD,
                    text="C1 wants more staff",
                    themes=["staffing"],
                ),
            ]
        )
        for department, actual in ((prod, 0.05), (cs, 0.02), (sub, 0.04)):
            s.add(
                Gap(
                    metric_id=metric.id,
                    department_id=department.id,
                    period=PERIOD,
                    actual=actual,
                    target=0.03,
                    below_target=actual > 0.03,
                    worsening=False,
                    severity=actual * 100,
                    contributors=3,
                )
            )
        s.add_all(
            [
                GapDriver(
                    metric_id=metric.id,
                    department_id=prod.id,
                    period=PERIOD,
                    dimension="tenure",
                    segment="experienced",
                    share=0.7,
                    people=6,
                ),
                GapDriver(
                    metric_id=metric.id,
                    department_id=prod.id,
                    period=PERIOD,
                    dimension="team",
                    segment="一组",
                    share=0.3,
                    people=2,
                ),
                GapDriver(
                    metric_id=metric.id,
                    department_id=prod.id,
                    period=PERIOD,
                    dimension="employee",
                    segment="P2",
                    share=0.2,
                    people=1,
                ),
            ]
        )
        s.add(
            TopPerformer(
                metric_id=metric.id,
                department_id=prod.id,
                period=PERIOD,
                employee_id=people["P1"].id,
                value=0.01,
                rank=1,
            )
        )
        s.flush()
        ids = {code: person.id for code, person in people.items()}
        ids.update({d.code: d.id for d in (hq, prod, cs, sub)})
        return ids
