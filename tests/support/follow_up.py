"""A small company for what follows a salon: ``tests.api.org`` (HQ ─┬─ PROD ── PROD-A, └─ CS;
H1, P1 manager of P2, A1, C1), plus a higher-is-better metric, department values to take
baselines from, and salons in any state.

Department values (the baselines' source):
- PROD defect_rate (lower is better): 2026-08 0.06, 2026-09 0.05, 2026-11 0.04 (no 2026-10)
- PROD output (higher is better):     2026-09 200
- CS   defect_rate:                   2026-09 0.02
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from domain.db import session_scope
from domain.models import Department, DepartmentValue, Metric, Salon, SalonDepartment, SalonStatus
from domain.salons.content import AgendaEntry, SalonContent, SalonTexts, StoredTopic
from tests.api import org

VALUES = [
    ("PROD", "defect_rate", "2026-08", 0.06),
    ("PROD", "defect_rate", "2026-09", 0.05),
    ("PROD", "defect_rate", "2026-11", 0.04),
    ("PROD", "output", "2026-09", 200.0),
    ("CS", "defect_rate", "2026-09", 0.02),
]


def build(engine: Engine) -> dict[str, int]:
    """The company; department codes, employee ids and metric codes → row ids."""
    ids = org.build(engine)
    with session_scope(engine) as s:
        s.add(Metric(code="output", name="产量", direction="higher", aggregation="sum"))
        s.flush()
        metrics = {m.code: m.id for m in s.exec(select(Metric))}
        for department, metric, period, value in VALUES:
            s.add(
                DepartmentValue(
                    metric_id=metrics[metric],
                    department_id=ids[department],
                    period=period,
                    value=value,
                    source="official",
                    contributors=3,
                )
            )
    return {**ids, **metrics}


def content(presenters=(), participants=("P2",), groups=()) -> dict:
    texts = {
        locale: SalonTexts(
            title=f"{locale} title",
            agenda=(AgendaEntry("The numbers", 20),),
            questions=(f"{locale} why?",),
            charts=({"title": "Defect rate", "mark": "bar"},),
        )
        for locale in ("zh-CN", "en")
    }
    return SalonContent(
        texts=texts, presenters=tuple(presenters), participants=tuple(participants), groups=tuple(groups)
    ).to_json()


def topic(metric_code: str | None = "defect_rate") -> dict:
    return StoredTopic(
        key=f"shortfall:{metric_code}",
        kind="shortfall",
        metric_code=metric_code,
        skill=None,
        severity=5.0,
        period="2026-Q3",
        titles={"zh-CN": "不良率未达标", "en": "defect rate below target"},
    ).to_json()


def add_salon(
    engine: Engine,
    department: str = "PROD",
    month: str = "2026-11",
    *,
    status: SalonStatus = SalonStatus.PROPOSED,
    host: str | None = None,
    presenters=(),
    participants=("P2",),
    groups=(),
    metric_code: str | None = "defect_rate",
    scheduled_at: datetime | None = None,
) -> int:
    with session_scope(engine) as s:
        codes = {d.code: d.id for d in s.exec(select(Department))}
        salon = Salon(
            month=month,
            department_id=codes[department],
            status=status.value,
            format_key="data_review_workshop",
            fit=1.0,
            data_period="2026-Q3",
            host_department_id=codes[host] if host else None,
            topic=topic(metric_code),
            content=content(presenters, participants, groups),
            scheduled_at=scheduled_at,
        )
        s.add(salon)
        s.flush()
        s.add(SalonDepartment(salon_id=salon.id, department_id=codes[department]))
        return salon.id


def salon(engine: Engine, salon_id: int) -> Salon:
    with Session(engine) as s:
        return s.get(Salon, salon_id)


def settle(engine: Engine) -> None:
    """Wait for every plan_progress job to end, so that a test reads (or replaces) what the
    workers wrote, not a rebuild half way."""
    from domain.jobs import PLAN_PROGRESS
    from domain.models import Job
    from tests.support.jobs import wait_for_job

    with Session(engine) as s:
        ids = s.exec(select(Job.id).where(Job.actor == PLAN_PROGRESS)).all()
    for job_id in ids:
        wait_for_job(engine, job_id)
