"""Who sees what of plans, practices, outcomes, reports and `me`: HR everything; managers their
subtree; employees the plans they are on and their department's aggregates; services
aggregates without people. Reads of people's records are audited.

Two plans: PROD's on defect_rate after its held salon (owner P1, member P2) and CS's without a
salon (owner C1). PROD's progress and effect are hand-made rows, written over the workers'.
"""

from __future__ import annotations

import pytest
from sqlmodel import col, delete

from domain.db import session_scope
from domain.models import PlanEffect, PlanProgress
from tests.api.conftest import act_as, graphql
from tests.api.test_plans_api import create, months_ahead
from tests.support import follow_up
from tests.support.follow_up import add_salon

PLANS = "{ plans { id department { code } } }"
PLAN = """query($id: ID!) { plan(id: $id) {
  id members { employeeId } people { name role employee { employeeId } }
  progress { period actual changeFromBaseline remainingToGoal onTrack milestone }
  effect { baseline current currentPeriod change comparisonChange differenceInDifferences comparisonDepartments { code } }
} }"""
OWNER = "query($id: ID!) { plan(id: $id) { id owner { employeeId } } }"
PRACTICES = "query($m: String) { practices(metricCode: $m) { text department { code } salon { id } metric { code } effect { differenceInDifferences } } }"
ME = """{ me { employeeId salonRoles { salon { id } invited presenting attended } plans { id } } }"""
REPORT = 'query($d: String!) { departmentReport(departmentCode: $d, period: "2026-12") }'
LOG = "{ auditLog(last: 50) { actor actions subjects } }"


@pytest.fixture
def world(client, engine):
    ids = follow_up.build(engine)
    salon_id = add_salon(engine, participants=("P2", "P1"))
    graphql(
        client,
        """mutation($id: ID!) { recordSalonOutcome(salonId: $id, input: {
          conclusions: ["Night shift skips the checklist"], attendeeIds: ["P2", "A1"],
          adoptedPractices: ["Checklist at every shift change"] }) { id } }""",
        id=str(salon_id),
    )
    made = create(client, salon_id)
    prod, prod_number = made["id"], int(made["planId"])
    cs = create(client, None, departmentCode="CS", ownerId="C1", memberIds=[], deadline=months_ahead(3))["id"]
    follow_up.settle(engine)  # then the workers' rows are replaced by these hand-made ones
    with session_scope(engine) as session:
        for table in (PlanProgress, PlanEffect):
            session.exec(delete(table).where(col(table.plan_id) == prod_number))
        session.add(
            PlanProgress(
                plan_id=prod_number,
                period="2026-12",
                actual=0.045,
                change_from_baseline=-0.1,
                remaining_to_goal=0.1,
                milestone=0.0475,
                on_track=True,
            )
        )
        session.add(
            PlanEffect(
                plan_id=prod_number,
                baseline=0.05,
                current=0.045,
                current_period="2026-12",
                change=-0.1,
                comparison_change=0.05,
                difference_in_differences=-0.15,
                comparison_department_ids=[ids["CS"]],
            )
        )
    return {
        "client": client,
        "salon": f"Salon:{salon_id}",
        "prod": prod,
        "prod_number": prod_number,
        "cs": cs,
    }


def ids_of(client, query=PLANS) -> list[str]:
    result = graphql(client, query)
    assert "errors" not in result, result["errors"]
    return [p["id"] for p in result["data"]["plans"]]


def test_plans_follow_the_viewers_scope(world):
    hr, prod, cs = world["client"], world["prod"], world["cs"]

    assert ids_of(hr) == [prod, cs]
    assert ids_of(act_as(hr, "manager", "P1", "PROD")) == [prod]
    assert ids_of(act_as(hr, "manager", "C1", "CS")) == [cs]
    assert ids_of(act_as(hr, "employee", "P2")) == [prod]  # a member
    assert ids_of(act_as(hr, "employee", "C1")) == [cs]  # the owner
    assert ids_of(act_as(hr, "employee", "A1")) == []  # on no plan
    assert ids_of(act_as(hr, "service", "bi")) == [prod, cs]
    assert ids_of(act_as(hr, "service", "cs-board", "CS")) == [cs]
    assert ids_of(hr, '{ plans(departmentCode: "CS") { id } }') == [cs]
    assert ids_of(hr, "{ plans(status: CANCELLED) { id } }") == []
    out = graphql(act_as(hr, "manager", "C1", "CS"), "query($id: ID!) { plan(id: $id) { id } }", id=prod)
    assert out["data"]["plan"] is None
    refused = graphql(act_as(hr, "employee", "P2"), '{ plans(departmentCode: "CS") { id } }')
    assert refused["errors"][0]["message"] == "no department 'CS' in your scope"


def test_a_plans_people_are_shown_as_a_salons_are(world):
    hr, prod = world["client"], world["prod"]

    def read(client, query=PLAN):
        return graphql(client, query, id=prod)

    member = read(act_as(hr, "employee", "P2"))["data"]["plan"]
    service = read(act_as(hr, "service", "bi"))["data"]["plan"]
    manager = read(act_as(hr, "manager", "P1", "PROD"))["data"]["plan"]
    owner_for_member = read(act_as(hr, "employee", "P2"), OWNER)
    owner_for_service = read(act_as(hr, "service", "bi"), OWNER)

    assert manager["members"] == [{"employeeId": "P2"}]
    assert member["members"] == [{"employeeId": "P2"}]  # their own record
    assert member["people"] == [
        {"name": "裴一", "role": "OWNER", "employee": None},
        {"name": "裴二", "role": "MEMBER", "employee": {"employeeId": "P2"}},
    ]
    assert service["members"] == service["people"] == []
    assert service["progress"] == member["progress"] and service["effect"] == member["effect"]
    assert owner_for_member["errors"][0]["message"].startswith(
        "not allowed to read the record of this plan's owner"
    )
    assert owner_for_service["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert read(act_as(hr, "manager", "P1", "PROD"), OWNER)["data"]["plan"]["owner"] == {"employeeId": "P1"}
    entries = [(e["actor"], e["actions"], e["subjects"]) for e in graphql(hr, LOG)["data"]["auditLog"]]
    assert ("employee:P2", ["denied:ImprovementPlan.owner"], [f"plan:{world['prod_number']}"]) in entries
    assert (
        "employee:P2",
        ["read:ImprovementPlan.people"],
        [f"plan:{world['prod_number']}", "employee:P2"],
    ) in entries
    assert not [e for e in entries if e[0] == "service:bi" and e[1] != ["denied:ImprovementPlan.owner"]]


def test_progress_and_effect_read_back_as_the_workers_wrote_them(world):
    plan = graphql(world["client"], PLAN, id=world["prod"])["data"]["plan"]

    assert plan["progress"] == [
        {
            "period": "2026-12",
            "actual": 0.045,
            "changeFromBaseline": -0.1,
            "remainingToGoal": 0.1,
            "onTrack": True,
            "milestone": 0.0475,
        }
    ]
    assert plan["effect"] == {
        "baseline": 0.05,
        "current": 0.045,
        "currentPeriod": "2026-12",
        "change": -0.1,
        "comparisonChange": 0.05,
        "differenceInDifferences": -0.15,
        "comparisonDepartments": [{"code": "CS"}],
    }


def test_practices_are_a_departments_aggregates_with_the_plans_effect(world):
    hr, salon = world["client"], world["salon"]

    everything = graphql(hr, PRACTICES)["data"]["practices"]

    assert everything == [
        {
            "text": "Checklist at every shift change",
            "department": {"code": "PROD"},
            "salon": {"id": salon},
            "metric": {"code": "defect_rate"},
            "effect": {"differenceInDifferences": -0.15},
        }
    ]
    assert graphql(act_as(hr, "employee", "P2"), PRACTICES)["data"]["practices"] == everything
    assert graphql(act_as(hr, "employee", "C1"), PRACTICES)["data"]["practices"] == []
    assert graphql(act_as(hr, "service", "cs-board", "CS"), PRACTICES)["data"]["practices"] == []
    assert graphql(hr, PRACTICES, m="output")["data"]["practices"] == []
    assert graphql(hr, PRACTICES, m="nope")["errors"][0]["message"] == "metricCode: unknown metric 'nope'"


def test_a_salon_shows_the_plans_that_follow_it_to_those_who_see_them(world):
    query = "query($id: ID!) { salon(id: $id) { plans { id } outcome { attendeeCount } } }"
    hr, salon, prod = world["client"], world["salon"], world["prod"]

    assert graphql(hr, query, id=salon)["data"]["salon"] == {
        "plans": [{"id": prod}],
        "outcome": {"attendeeCount": 2},
    }
    assert (
        graphql(act_as(hr, "employee", "A1"), query, id=salon)["data"]["salon"] is None
    )  # PROD-A's own salons only
    assert graphql(act_as(hr, "service", "bi"), query, id=salon)["data"]["salon"]["plans"] == [{"id": prod}]


def test_me_is_the_signed_in_persons_record_with_their_salons_and_plans(world):
    hr, salon, prod, cs = world["client"], world["salon"], world["prod"], world["cs"]

    p2 = graphql(act_as(hr, "employee", "P2"), ME)["data"]["me"]
    p1 = graphql(act_as(hr, "manager", "P1", "PROD"), ME)["data"]["me"]
    a1 = graphql(act_as(hr, "employee", "A1"), ME)["data"]["me"]
    c1 = graphql(act_as(hr, "employee", "C1"), ME)["data"]["me"]

    assert p2 == {
        "employeeId": "P2",
        "salonRoles": [{"salon": {"id": salon}, "invited": True, "presenting": False, "attended": True}],
        "plans": [{"id": prod}],
    }
    assert p1["salonRoles"] == [
        {"salon": {"id": salon}, "invited": True, "presenting": False, "attended": False}
    ]
    assert p1["plans"] == [{"id": prod}]  # the owner
    assert a1["salonRoles"] == [
        {"salon": {"id": salon}, "invited": False, "presenting": False, "attended": True}
    ]
    assert a1["plans"] == [] and c1["plans"] == [{"id": cs}] and c1["salonRoles"] == []
    assert graphql(hr, ME)["data"]["me"] is None  # an HR account that is no employee
    assert graphql(act_as(hr, "service", "bi"), ME)["data"]["me"] is None
    entries = [(e["actor"], e["actions"], e["subjects"]) for e in graphql(hr, LOG)["data"]["auditLog"]]
    assert (
        "employee:P2",
        ["read:Employee", "read:Employee.salons", "read:Employee.plans"],
        ["employee:P2"],
    ) in entries


def test_salons_lists_the_salons_of_salon_roles_and_is_refused_alike(world):
    query = "query($id: String!) { employee(id: $id) { salons { id status } salonRoles { salon { id } } } }"
    hr = world["client"]

    a1 = graphql(hr, query, id="A1")["data"]["employee"]
    refused = graphql(act_as(hr, "employee", "P2"), query, id="A1")

    assert [s["id"] for s in a1["salons"]] == [r["salon"]["id"] for r in a1["salonRoles"]] == [world["salon"]]
    assert a1["salons"][0]["status"] == "HELD"
    assert refused["data"] is None or refused["data"]["employee"] is None
    assert refused["errors"]


def test_a_manager_reads_their_peoples_salons_and_plans_and_no_one_elses(world):
    query = "query($id: String!) { employee(id: $id) { salonRoles { attended } plans { id } } }"
    manager = act_as(world["client"], "manager", "P1", "PROD")

    p2 = graphql(manager, query, id="P2")["data"]["employee"]
    c1 = graphql(manager, query, id="C1")

    assert p2 == {"salonRoles": [{"attended": True}], "plans": [{"id": world["prod"]}]}
    assert c1["errors"][0]["message"] == "no employee 'C1' in your scope"


def test_a_department_report_is_for_whoever_sees_the_departments_aggregates(world):
    refused = graphql(act_as(world["client"], "employee", "P2"), REPORT, d="CS")

    assert refused["errors"][0]["message"] == "no department 'CS' in your scope"
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
