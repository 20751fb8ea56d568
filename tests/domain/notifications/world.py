"""A small organisation for notification tests, in two time zones.

HQ ─┬─ OPS                (no zone of its own: SALON_TIMEZONE, Asia/Shanghai)
    └─ BER  Europe/Berlin ── BER-A (inherits Berlin)

People: O1 (OPS, e-mail, zh-CN), M1 (OPS, e-mail, en; O1 and P1 report to M1), P1 (OPS, no
e-mail), X1 (OPS, erased), B1 (BER, e-mail, en), B2 (BER-A, e-mail).

Salon 2026-12 of OPS (PROPOSED): presenter B1 (BER hosts), participants O1, P1, X1; agenda
30 + 45 minutes. Plans: "shanghai" on OPS (no salon, made 2026-11-10: months 2026-12 to
2027-02), owner O1, member P1; "berlin" on BER (made 2027-02-10: months 2027-03 to 2027-05),
owner B1, member B2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from domain.db import session_scope
from domain.models import Department, Employee, ImprovementPlan, Metric, PlanMember, Salon, SalonDepartment
from domain.notifications import Defaults
from domain.salons.content import AgendaEntry, SalonContent, SalonTexts, StoredTopic

DEFAULTS = Defaults(timezone="Asia/Shanghai", locale="zh-CN", sender="salon@example.com")


@dataclass(frozen=True)
class World:
    departments: dict[str, int]
    people: dict[str, int]  # employee id -> row id
    salon: int
    plans: dict[str, int]


def content() -> SalonContent:
    agenda = {
        "zh-CN": (AgendaEntry("数据回顾", 30), AgendaEntry("分组讨论", 45)),
        "en": (AgendaEntry("Data review", 30), AgendaEntry("Group work", 45)),
    }
    titles = {"zh-CN": "不良率复盘", "en": "Defect rate review"}
    return SalonContent(
        texts={locale: SalonTexts(title=titles[locale], agenda=agenda[locale]) for locale in titles},
        presenters=("B1",),
        participants=("O1", "P1", "X1"),
        groups=(("O1", "P1"),),
    )


def topic() -> StoredTopic:
    return StoredTopic(
        key="shortfall:defect_rate",
        kind="shortfall",
        metric_code="defect_rate",
        skill=None,
        severity=1.0,
        period="2026-11",
        titles={"zh-CN": "不良率高于目标", "en": "Defect rate above target"},
    )


def build(engine: Engine) -> World:
    with session_scope(engine) as s:
        hq = Department(code="HQ", name="总部")
        s.add(hq)
        s.flush()
        ops = Department(code="OPS", name="运营部", parent_id=hq.id)
        ber = Department(code="BER", name="柏林办公室", parent_id=hq.id, timezone="Europe/Berlin")
        s.add_all([ops, ber])
        s.flush()
        ber_a = Department(code="BER-A", name="柏林一组", parent_id=ber.id)
        s.add(ber_a)
        s.flush()
        hired = date(2020, 1, 1)
        m1 = Employee(
            employee_id="M1",
            name="Mia",
            department_id=ops.id,
            hire_date=hired,
            email="m1@example.com",
            locale="en",
        )
        s.add(m1)
        s.flush()
        people = {
            "M1": m1,
            "O1": Employee(employee_id="O1", name="欧一", department_id=ops.id, hire_date=hired, email="o1@example.com", manager_id=m1.id),
            "P1": Employee(employee_id="P1", name="彭一", department_id=ops.id, hire_date=hired, manager_id=m1.id),
            "X1": Employee(
                employee_id="X1", name="erased-1", department_id=ops.id, hire_date=hired,
                erased_at=datetime(2026, 11, 1, tzinfo=UTC),
            ),
            "B1": Employee(employee_id="B1", name="Ben", department_id=ber.id, hire_date=hired, email="b1@example.com", locale="en"),
            "B2": Employee(employee_id="B2", name="白二", department_id=ber_a.id, hire_date=hired, email="b2@example.com"),
        }  # fmt: skip
        s.add_all(people.values())
        metric = Metric(code="defect_rate", name="不良率", direction="lower", aggregation="mean", unit="%")
        s.add(metric)
        s.flush()
        salon = Salon(
            month="2026-12", department_id=ops.id, format_key="cross_department_exchange", fit=0.9,
            data_period="2026-11", host_department_id=ber.id, topic=topic().to_json(), content=content().to_json(),
        )  # fmt: skip
        s.add(salon)
        s.flush()
        s.add(SalonDepartment(salon_id=salon.id, department_id=ops.id))

        def plan(department, owner, members, made) -> ImprovementPlan:
            row = ImprovementPlan(
                department_id=department.id, metric_id=metric.id, owner_id=people[owner].id, baseline=0.05,
                baseline_period="2026-10", goal_change=-0.2, goal_value=0.04, deadline=made[1],
                created_by="hr", created_at=made[0],
            )  # fmt: skip
            s.add(row)
            s.flush()
            s.add_all(PlanMember(plan_id=row.id, employee_id=people[m].id) for m in members)
            return row

        plans = {
            "shanghai": plan(ops, "O1", ["P1"], (datetime(2026, 11, 10, 3, 0, tzinfo=UTC), "2027-02")),
            "berlin": plan(ber, "B1", ["B2"], (datetime(2027, 2, 10, 9, 0, tzinfo=UTC), "2027-05")),
        }
        s.flush()
        return World(
            departments={d.code: d.id for d in (hq, ops, ber, ber_a)},
            people={code: person.id for code, person in people.items()},
            salon=salon.id,
            plans={name: row.id for name, row in plans.items()},
        )
