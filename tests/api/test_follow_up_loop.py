"""The whole loop on the demo company, through the API as HR would run it: a workshop is planned
and held, a plan follows it, a month of new observations is imported — and the plan's progress
and its words move.

Runs once the workers' side of plans is merged (``domain.plans.report`` is its marker)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from domain.models import Department, DepartmentValue, Metric
from tests.api.conftest import graphql
from tests.api.test_import_upload import upload
from tests.api.test_salons_api import plan as plan_month
from tests.api.test_salons_api import planner  # noqa: F401  (the fixture)
from tests.support import follow_up
from tests.support.jobs import wait_for_job

pytest.importorskip("domain.plans.report", reason="the workers' side of plans comes with plans-progress")

SALON = """query { salons(month: "2026-11", departmentCode: "PROD") { id format { key } participants { employeeId } } }"""
HELD = """mutation($id: ID!, $people: [String!]!) { recordSalonOutcome(salonId: $id, input: {
  conclusions: ["New hires skip the checklist on night shifts"], attendeeIds: $people,
  adoptedPractices: ["Pair each new hire with a checklist buddy"] }) { status } }"""
CREATE = (
    """mutation($input: PlanInput!) { createImprovementPlan(input: $input) { id baseline baselinePeriod } }"""
)
READ = """query($id: ID!) { plan(id: $id) {
  status progress { period actual changeFromBaseline remainingToGoal onTrack milestone }
  zh: report(locale: "zh-CN") en: report(locale: "en")
} }"""


def department_value(engine, period: str) -> float:
    with Session(engine) as session:
        return session.exec(
            select(DepartmentValue.value)
            .join(Department, Department.id == DepartmentValue.department_id)
            .join(Metric, Metric.id == DepartmentValue.metric_id)
            .where(Department.code == "PROD", Metric.code == "defect_rate", DepartmentValue.period == period)
        ).one()


def test_a_held_workshop_a_plan_and_a_new_month_move_progress_and_report(planner, demo_engine):  # noqa: F811
    plan_month(planner, month="2026-11", departments=["PROD"])
    (salon,) = graphql(planner, SALON)["data"]["salons"]
    people = [p["employeeId"] for p in salon["participants"]]
    assert salon["format"]["key"] == "data_review_workshop" and len(people) > 4

    held = graphql(planner, HELD, id=salon["id"], people=people[:12])["data"]["recordSalonOutcome"]
    made = graphql(
        planner,
        CREATE,
        input={
            "salonId": salon["id"],
            "departmentCode": "PROD",
            "metricCode": "defect_rate",
            "goalChange": -0.2,
            "deadline": "2027-03",
            "ownerId": people[0],
            "memberIds": people[1:4],
        },
    )["data"]["createImprovementPlan"]
    follow_up.settle(demo_engine)
    before = graphql(planner, READ, id=made["id"])["data"]["plan"]

    baseline = department_value(demo_engine, "2026-10")  # the last month with data before November
    assert held["status"] == "HELD"
    assert (made["baselinePeriod"], made["baseline"]) == ("2026-10", pytest.approx(baseline))
    assert before["progress"] == [] and before["status"] == "ACTIVE"

    # November's official value: 10% below the baseline (numerator and denominator agree with it)
    denominator = 10_000
    numerator = round(baseline * 0.9 * denominator, 6)
    rows = f"metric_code,period,department_code,value,numerator,denominator\ndefect_rate,2026-11,PROD,{numerator / denominator},{numerator},{denominator}\n"
    report = upload(planner, "OBSERVATIONS", rows.encode(), "observations.csv").json()["data"]["importData"]
    assert report["applied"], report
    wait_for_job(demo_engine, report["job"]["id"], timeout=120)
    follow_up.settle(demo_engine)

    after = graphql(planner, READ, id=made["id"])["data"]["plan"]
    (november,) = after["progress"]
    # actual / baseline − 1 = −10%; |−20% − (−10%)| = 10% to go; no milestone is due before
    # December (the month after the salon), so November is held against the baseline: on track
    assert november["period"] == "2026-11" and november["actual"] == pytest.approx(baseline * 0.9)
    assert november["changeFromBaseline"] == pytest.approx(-0.1)
    assert november["remainingToGoal"] == pytest.approx(0.1)
    assert november["milestone"] is None and november["onTrack"] is True
    assert after["status"] == "ACTIVE"
    assert after["zh"] != before["zh"] and after["en"] != before["en"]
    assert "10%" in after["zh"] and "10%" in after["en"]
