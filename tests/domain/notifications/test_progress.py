"""Progress reports: when imported data moves a plan, its owner and the people its department
reports to read the plan's report in their language — once per plan per month."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.jobs import REPORT_PROGRESS
from domain.models import Employee, Job, Metric, Notification, Observation
from domain.notifications.progress import department_managers, report
from plugins.builtin.in_app import InAppChannel
from tests.domain.notifications.world import DEFAULTS
from workers.rebuild import rebuild

CHANNELS = {"in_app": InAppChannel()}
DECEMBER_31 = datetime(2026, 12, 31, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai: still December
NEW_YEAR = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # midnight in Shanghai: January


def _observe(engine, world, period, value) -> None:
    with session_scope(engine) as session:
        metric = session.exec(select(Metric.id)).one()
        session.add(
            Observation(metric_id=metric, department_id=world.departments["OPS"], period=period, value=value)
        )


def _moved_plans(engine) -> list[list[int]]:
    with Session(engine) as session:
        return [
            args["plan_ids"] for args in session.exec(select(Job.args).where(Job.actor == REPORT_PROGRESS))
        ]


def _received(engine) -> list[tuple[str, str, str]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Employee.employee_id, Notification.key, Notification.subject)
            .join(Employee, col(Employee.id) == col(Notification.employee_id))
            .order_by(col(Notification.id))
        ).all()
    return [tuple(row) for row in rows]


def test_the_departments_managers_are_whom_its_staff_report_to(engine, world):
    with Session(engine) as session:
        assert department_managers(session, world.departments["OPS"]) == [world.people["M1"]]
        assert department_managers(session, world.departments["BER"]) == []


def test_data_that_moves_a_plan_reaches_its_owner_and_managers_once_a_month(engine, world):
    plan = world.plans["shanghai"]
    _observe(engine, world, "2026-10", 0.05)
    _observe(engine, world, "2026-12", 0.045)  # down 10% from the baseline
    rebuild(engine)
    assert _moved_plans(engine) == [[plan]]

    with session_scope(engine) as session:
        first = report(session, [plan], DEFAULTS, CHANNELS, DECEMBER_31)
    _observe(engine, world, "2026-11", 0.047)  # more data the same month: no second report
    with session_scope(engine) as session:
        same_month = report(session, [plan], DEFAULTS, CHANNELS, DECEMBER_31)
    with session_scope(engine) as session:
        next_month = report(session, [plan], DEFAULTS, CHANNELS, NEW_YEAR)

    assert len(first.notification_ids) == 2 and same_month.notification_ids == []
    assert len(next_month.notification_ids) == 2
    december, january = f"plan:{plan}:progress:2026-12", f"plan:{plan}:progress:2027-01"
    assert _received(engine) == [
        ("O1", december, "改进计划新进展：运营部不良率"),  # the owner; P1, a member, is not told
        ("M1", december, "New progress: 不良率, 运营部"),  # their manager reads English
        ("O1", january, "改进计划新进展：运营部不良率"),
        ("M1", january, "New progress: 不良率, 运营部"),
    ]
    with Session(engine) as session:
        words = session.exec(select(Notification.text).where(Notification.locale == "en")).first()
    assert "Newly imported data has moved the improvement plan:" in words
    assert "down 10% from the baseline" in words
