"""Salons as the growth archive meets them: held (or not), with their people and attendees,
written straight to the tables so that contribution, bonus and rating tests start from a
known salon. (In the product a salon is held by recording its outcome.)"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import col, select

from domain.db import session_scope
from domain.models import Department, Employee, Salon, SalonAttendee, SalonDepartment, SalonStatus
from domain.salons.content import SalonContent, SalonTexts, StoredTopic


def make_salon(
    engine: Engine,
    *,
    month: str,
    department: str,
    presenters: tuple[str, ...] = (),
    participants: tuple[str, ...] = (),
    attendees: tuple[str, ...] = (),
    status: SalonStatus = SalonStatus.HELD,
    scheduled_at: datetime | None = None,
    format_key: str = "data_review_workshop",
) -> int:
    """A salon of ``department`` (a code) in ``month``; people are employee ids. Returns its id."""
    with session_scope(engine) as session:
        department_id = session.exec(select(Department.id).where(Department.code == department)).one()
        content = SalonContent(
            texts={"en": SalonTexts(title=f"Salon of {department} in {month}")},
            presenters=presenters,
            participants=participants,
        )
        topic = StoredTopic(
            key=f"test:{department}:{month}",
            kind="shortfall",
            metric_code=None,
            skill=None,
            severity=1.0,
            period=month,
            titles={"en": "A topic"},
        )
        salon = Salon(
            month=month,
            department_id=department_id,
            status=status.value,
            format_key=format_key,
            fit=1.0,
            data_period=month,
            topic=topic.to_json(),
            content=content.to_json(),
            scheduled_at=scheduled_at,
        )
        session.add(salon)
        session.flush()
        session.add(SalonDepartment(salon_id=salon.id, department_id=department_id))
        found = session.exec(
            select(Employee.employee_id, Employee.id).where(col(Employee.employee_id).in_(attendees))
        )
        rows = {code: row_id for code, row_id in found}
        session.add_all(SalonAttendee(salon_id=salon.id, employee_id=rows[code]) for code in attendees)
        return salon.id
