"""Improvement plans over GraphQL: made from a held salon or without one, milestones by hand,
refusals by argument, changed and cancelled — each change with its plan_progress job and its
audit entry. Values from ``tests.support.follow_up``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select

from domain.jobs import PLAN_PROGRESS
from domain.models import Job, SalonStatus
from domain.periods import Period
from tests.api.conftest import act_as, graphql
from tests.support import follow_up
from tests.support.follow_up import add_salon

PLAN_FIELDS = """id planId baseline baselinePeriod goalChange goalValue deadline status milestoneEvery cancelReason
  department { code } metric { code direction } owner { employeeId } members { employeeId }
  salon { id status } milestones { period targetValue due }"""
CREATE = f"mutation($input: PlanInput!) {{ createImprovementPlan(input: $input) {{ {PLAN_FIELDS} }} }}"
UPDATE = f"mutation($id: ID!, $input: PlanUpdateInput!) {{ updateImprovementPlan(id: $id, input: $input) {{ {PLAN_FIELDS} }} }}"
CANCEL = "mutation($id: ID!, $r: String!) { cancelImprovementPlan(id: $id, reason: $r) { id status cancelReason } }"
LOG = "{ auditLog(last: 50) { actor actions subjects } }"


def months_ahead(n: int) -> str:
    """The month ``n`` months after this one: a deadline a plan made today may have."""
    month = Period(datetime.now(UTC).year, month=datetime.now(UTC).month)
    for _ in range(n):
        month = month.next()
    return str(month)


@pytest.fixture
def company(client, engine):
    follow_up.build(engine)
    return client


@pytest.fixture
def held(company, engine) -> int:
    """PROD's salon of 2026-11, held."""
    return add_salon(engine, status=SalonStatus.HELD)


def plan_input(salon_id: int | None, **changes) -> dict:
    return {
        "salonId": None if salon_id is None else str(salon_id),
        "departmentCode": "PROD",
        "metricCode": "defect_rate",
        "goalChange": -0.2,
        "deadline": "2027-03",
        "ownerId": "P1",
        "memberIds": ["P2"],
        **changes,
    }


def create(client, salon_id: int | None, **changes) -> dict:
    result = graphql(client, CREATE, input=plan_input(salon_id, **changes))
    assert "errors" not in result, result["errors"]
    return result["data"]["createImprovementPlan"]


def progress_jobs(engine) -> list[dict]:
    with Session(engine) as session:
        rows = session.exec(select(Job).where(Job.actor == PLAN_PROGRESS).order_by(col(Job.created_at))).all()
        return [row.args for row in rows]


def trail(client) -> list[tuple[str, list[str], list[str]]]:
    return [(e["actor"], e["actions"], e["subjects"]) for e in graphql(client, LOG)["data"]["auditLog"]]


def test_a_plan_after_a_held_salon_reads_whole_with_monthly_milestones(company, engine, held):
    plan = create(company, held)

    # baseline: 2026-09's 0.05 (2026-10 has no value, 2026-11 is the salon's month); -20% -> 0.04,
    # in four even steps of -0.0025 from 2026-12 (the month after the salon) to 2027-03
    assert {k: plan[k] for k in ("baseline", "baselinePeriod", "goalChange", "deadline", "status")} == {
        "baseline": 0.05,
        "baselinePeriod": "2026-09",
        "goalChange": -0.2,
        "deadline": "2027-03",
        "status": "ACTIVE",
    }
    assert plan["goalValue"] == pytest.approx(0.04)
    assert [(m["period"], m["due"]) for m in plan["milestones"]] == [
        ("2026-12", "2026-12"),
        ("2027-01", "2027-01"),
        ("2027-02", "2027-02"),
        ("2027-03", "2027-03"),
    ]
    assert [m["targetValue"] for m in plan["milestones"]] == pytest.approx([0.0475, 0.045, 0.0425, 0.04])
    assert plan["department"] == {"code": "PROD"} and plan["metric"] == {
        "code": "defect_rate",
        "direction": "LOWER_IS_BETTER",
    }
    assert plan["owner"] == {"employeeId": "P1"} and plan["members"] == [{"employeeId": "P2"}]
    assert plan["salon"] == {"id": f"Salon:{held}", "status": "HELD"}  # its global id
    assert progress_jobs(engine) == [{"plan_ids": [int(plan["planId"])]}]
    (entry,) = [e for e in trail(company) if "mutation:createImprovementPlan" in e[1]]
    assert entry[0] == "hr_admin:hr-admin" and entry[1] == [
        "mutation:createImprovementPlan",
        "read:ImprovementPlan.people",
    ]
    assert sorted(entry[2]) == ["employee:P1", "employee:P2", f"plan:{plan['planId']}"]  # owner, member


def test_quarterly_milestones_of_a_higher_is_better_metric(company, held):
    plan = create(
        company, held, metricCode="output", goalChange=0.3, deadline="2027-Q2", milestoneEvery="quarter"
    )

    # 200 (2026-09) -> 260 by 2027-Q2, quarters from 2026-12: Q4 220, 2027-Q1 240, 2027-Q2 260
    assert plan["goalValue"] == pytest.approx(260.0) and plan["milestoneEvery"] == "quarter"
    assert [(m["period"], m["due"]) for m in plan["milestones"]] == [
        ("2026-Q4", "2026-12"),
        ("2027-Q1", "2027-03"),
        ("2027-Q2", "2027-06"),
    ]
    assert [m["targetValue"] for m in plan["milestones"]] == pytest.approx([220.0, 240.0, 260.0])


def test_a_plan_without_a_salon_starts_after_the_month_it_is_made_in(company):
    plan = create(company, None, deadline=months_ahead(2))

    # the last month with data before this one is 2026-11 (0.04): none is later
    assert (plan["baselinePeriod"], plan["baseline"], plan["salon"]) == ("2026-11", 0.04, None)
    assert [m["period"] for m in plan["milestones"]] == [months_ahead(1), months_ahead(2)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"goalChange": 0.1}, "goalChange: +10% worsens 不良率 (lower is better, baseline 0.05 in 2026-09)"),
        ({"metricCode": "output", "goalChange": -0.3}, "goalChange: -30% worsens 产量 (higher is better"),
        ({"deadline": "2026-11"}, "deadline: 2026-11 is before the plan's first month 2026-12"),
        ({"milestoneEvery": "fortnight"}, "milestoneEvery: must be one of 'month', 'quarter'"),
        ({"ownerId": "C1"}, "ownerId: outside the plan's department: 'C1'"),
        ({"memberIds": ["nobody"]}, "memberIds: no current employee: 'nobody'"),
        ({"metricCode": "nope"}, "metricCode: unknown metric 'nope'"),
        ({"departmentCode": "NOPE"}, "departmentCode: unknown department 'NOPE'"),
        ({"salonId": "x1"}, "salonId: not a salon id: 'x1'"),
    ],
)
def test_a_plan_is_refused_by_argument_and_nothing_is_written(company, engine, held, changes, message):
    result = graphql(company, CREATE, input=plan_input(held, **changes))

    (error,) = result["errors"]
    assert error["message"].startswith(message), error["message"]
    assert graphql(company, "{ plans { id } }")["data"]["plans"] == [] and progress_jobs(engine) == []


def test_only_hr_and_the_departments_managers_make_plans(company, held):
    employee = graphql(act_as(company, "employee", "P2"), CREATE, input=plan_input(held))
    service = graphql(act_as(company, "service", "bi"), CREATE, input=plan_input(held))
    other = graphql(act_as(company, "manager", "C1", "CS"), CREATE, input=plan_input(held))
    manager = graphql(act_as(company, "manager", "P1", "PROD"), CREATE, input=plan_input(held))

    assert employee["errors"][0]["message"] == "createImprovementPlan is for hr_admin or manager only"
    assert service["errors"][0]["message"] == "createImprovementPlan is for hr_admin or manager only"
    assert other["errors"][0]["message"] == "no department 'PROD' in your scope"
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert manager["data"]["createImprovementPlan"]["owner"] == {"employeeId": "P1"}
    assert ("employee:P2", ["mutation:createImprovementPlan:refused"], []) in trail(company)


def test_an_update_keeps_the_baseline_and_a_cancel_ends_the_plan(company, engine, held):
    plan = create(company, held)
    manager = act_as(company, "manager", "P1", "PROD")

    updated = graphql(
        manager, UPDATE, id=plan["id"], input={"goalChange": -0.5, "memberIds": ["A1"], "deadline": "2027-01"}
    )["data"]["updateImprovementPlan"]
    refused = graphql(act_as(company, "manager", "C1", "CS"), CANCEL, id=plan["id"], r="reorganised")
    cancelled = graphql(manager, CANCEL, id=plan["id"], r="reorganised")["data"]["cancelImprovementPlan"]
    again = graphql(manager, UPDATE, id=plan["id"], input={"goalChange": -0.3})

    # the baseline stays 0.05: -50% -> 0.025, in two steps from 2026-12 to 2027-01
    assert (updated["baseline"], updated["baselinePeriod"]) == (0.05, "2026-09")
    assert updated["goalValue"] == pytest.approx(0.025) and updated["members"] == [{"employeeId": "A1"}]
    assert [m["targetValue"] for m in updated["milestones"]] == pytest.approx([0.0375, 0.025])
    assert refused["errors"][0]["message"] == f"id: no plan {plan['planId']} in your departments"
    assert cancelled == {"id": plan["id"], "status": "CANCELLED", "cancelReason": "reorganised"}
    assert again["errors"][0]["message"] == f"id: plan {plan['planId']} is cancelled: it no longer changes"
    assert progress_jobs(engine) == [{"plan_ids": [int(plan["planId"])]}] * 3  # made, changed, cancelled
    entries = trail(company)
    assert ("manager:P1", ["mutation:cancelImprovementPlan"], [f"plan:{plan['planId']}"]) in entries
    assert ("manager:C1", ["mutation:cancelImprovementPlan:failed"], []) in entries


REMINDER = "query($id: ID!) { plan(id: $id) { reminder { cadence day hour } } }"


def test_a_plans_reminder_is_set_with_it_changed_alone_and_checked(company, engine, held):
    default = create(company, held)
    weekly = create(company, held, reminder={"cadence": "WEEKLY", "day": 3, "hour": 10})

    assert graphql(company, REMINDER, id=default["id"])["data"]["plan"]["reminder"] == {
        "cadence": "MONTHLY",
        "day": 1,
        "hour": 9,
    }
    assert graphql(company, REMINDER, id=weekly["id"])["data"]["plan"]["reminder"] == {
        "cadence": "WEEKLY",
        "day": 3,
        "hour": 10,
    }

    changed = graphql(
        company, UPDATE, id=default["id"], input={"reminder": {"cadence": "MONTHLY", "day": 15}}
    )
    bad = graphql(company, UPDATE, id=default["id"], input={"reminder": {"cadence": "MONTHLY", "day": 30}})

    assert "errors" not in changed, changed.get("errors")
    assert graphql(company, REMINDER, id=default["id"])["data"]["plan"]["reminder"] == {
        "cadence": "MONTHLY",
        "day": 15,
        "hour": 9,
    }
    assert "day" in bad["errors"][0]["message"] and "28" in bad["errors"][0]["message"]
    assert graphql(company, REMINDER, id=default["id"])["data"]["plan"]["reminder"]["day"] == 15  # unchanged
