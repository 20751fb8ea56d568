"""Each role's allowed and refused reads and writes, on a small organisation (see ``org.py``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from domain import models
from tests.api.conftest import act_as, graphql

DEPARTMENTS = "{ departments { code } }"
PERSON = "query ($id: String!) { employee(id: $id) { employeeId name reviews { cycle score } growth { kind note } } }"
FEEDBACK = """query ($code: String!) { department(code: $code) {
  feedback(period: "2026-10") { text themes period metric { code } author { employeeId } } } }"""
DETAILS = """query ($code: String!) { department(code: $code) {
  employees { employeeId }
  topPerformers(metricCode: "defect_rate", period: "2026-10") { employeeId } } }"""
STANDINGS = '{ crossDepartment(metricCode: "defect_rate", period: "2026-10") { department { code } rank } }'


def codes(result: dict) -> list[str]:
    return [d["code"] for d in result["data"]["departments"]]


def refusal(result: dict) -> str:
    assert result["errors"], result
    return result["errors"][0]["message"]


def test_hr_admin_sees_everything_and_named_feedback_authors_but_never_anonymous_ones(company):
    assert codes(graphql(company, DEPARTMENTS)) == ["CS", "HQ", "PROD", "PROD-A"]
    person = graphql(company, PERSON, id="C1")["data"]["employee"]
    assert person["reviews"] == [{"cycle": "2026-H1", "score": 82.0}]

    feedback = graphql(company, FEEDBACK, code="PROD")["data"]["department"]["feedback"]

    authors = {f["text"]: f["author"] for f in feedback}
    assert authors == {
        "P2 says the line is too fast": {"employeeId": "P2"},
        "anonymous: training is missing": None,
    }
    assert {f["metric"]["code"] for f in feedback} == {"defect_rate"}


def test_a_manager_sees_their_subtree_with_its_people_and_nothing_else(company):
    manager = act_as(company, "manager", "P1", "PROD")

    assert codes(graphql(manager, DEPARTMENTS)) == ["PROD", "PROD-A"]
    below = graphql(manager, PERSON, id="A1")["data"]["employee"]
    assert (
        below["reviews"] == [{"cycle": "2026-H1", "score": 82.0}] and below["growth"][0]["note"] == "A1 note"
    )
    feedback = graphql(manager, FEEDBACK, code="PROD")["data"]["department"]["feedback"]
    assert sorted(str(f["author"]) for f in feedback) == ["None", "{'employeeId': 'P2'}"]

    assert refusal(graphql(manager, PERSON, id="C1")) == "no employee 'C1' in your scope"
    assert refusal(graphql(manager, FEEDBACK, code="CS")) == "no department 'CS' in your scope"


def test_rankings_keep_their_global_ranks_but_show_only_the_viewers_departments(company):
    everyone = graphql(company, STANDINGS)["data"]["crossDepartment"]
    scoped = graphql(act_as(company, "manager", "P1", "PROD"), STANDINGS)["data"]["crossDepartment"]

    assert [(s["department"]["code"], s["rank"]) for s in everyone] == [("CS", 1), ("PROD-A", 2), ("PROD", 3)]
    assert [(s["department"]["code"], s["rank"]) for s in scoped] == [("PROD-A", 2), ("PROD", 3)]


def test_an_employee_reads_their_own_data_but_not_a_colleagues(company):
    me = act_as(company, "employee", "P2")

    own = graphql(me, PERSON, id="P2")["data"]["employee"]
    colleague = graphql(me, PERSON, id="P1")

    assert own["reviews"] == [{"cycle": "2026-H1", "score": 82.0}] and own["growth"][0]["note"] == "P2 note"
    assert refusal(colleague) == "no employee 'P1' in your scope"
    assert colleague["data"] == {"employee": None}


def test_an_employee_sees_their_departments_aggregates_and_only_their_own_feedback_without_author(company):
    me = act_as(company, "employee", "P2")

    assert codes(graphql(me, DEPARTMENTS)) == ["PROD"]
    feedback = graphql(me, FEEDBACK, code="PROD")["data"]["department"]["feedback"]
    details = graphql(me, DETAILS, code="PROD")["data"]["department"]
    manager = graphql(me, '{ employee(id: "P2") { manager { name } department { code } } }')["data"]

    assert [(f["text"], f["author"]) for f in feedback] == [("P2 says the line is too fast", None)]
    assert details["employees"] == [{"employeeId": "P2"}]  # colleagues' records are individual data
    assert details["topPerformers"] == []  # the top performer is a colleague
    assert manager == {"employee": {"manager": None, "department": {"code": "PROD"}}}


def test_driver_segments_under_five_people_are_shown_to_admins_only(company):
    query = '{ department(code: "PROD") { gaps(period: "2026-10") { drivers { dimension segment } } } }'

    def segments(client) -> list[tuple[str, str]]:
        gaps = graphql(client, query)["data"]["department"]["gaps"]
        return [(d["dimension"], d["segment"]) for d in gaps[0]["drivers"]]

    assert segments(company) == [("employee", "P2"), ("team", "一组"), ("tenure", "experienced")]
    assert segments(act_as(company, "manager", "P1", "PROD")) == [("tenure", "experienced")]
    assert segments(act_as(company, "employee", "P2")) == [("tenure", "experienced")]


def test_a_service_reads_aggregates_of_its_departments_and_no_individuals(company):
    service = act_as(company, "service", "bi-export", "CS")

    assert codes(graphql(service, DEPARTMENTS)) == ["CS"]
    gaps = graphql(service, '{ department(code: "CS") { gaps(period: "2026-10") { actual } } }')
    assert gaps["data"]["department"]["gaps"] == [{"actual": 0.02}]
    assert refusal(graphql(service, PERSON, id="C1")) == "no employee 'C1' in your scope"
    assert graphql(service, FEEDBACK, code="CS")["data"]["department"]["feedback"] == []


def test_an_unscoped_service_sees_every_department_but_no_one(company):
    service = act_as(company, "service", "planner")

    assert codes(graphql(service, DEPARTMENTS)) == ["CS", "HQ", "PROD", "PROD-A"]
    assert graphql(service, '{ department(code: "PROD") { employees { employeeId } } }')["data"] == {
        "department": {"employees": []}
    }


@pytest.mark.parametrize(
    ("role", "subject", "department"),
    [("manager", "P1", "PROD"), ("employee", "P2", None), ("service", "etl", None)],
)
@pytest.mark.parametrize(
    ("mutation", "action"),
    [
        ("mutation { recompute { id } }", "recompute"),
        ('mutation { erasePersonalData(employeeId: "P2") { pseudonym } }', "erasePersonalData"),
        ('{ job(id: "any") { id } }', "reading jobs"),
        ('mutation { planMonth(month: "2026-11") { id } }', "planning salons"),
    ],
)
def test_mutations_are_for_hr_admins_only(company, role, subject, department, mutation, action):
    result = graphql(act_as(company, role, subject, department), mutation)

    assert refusal(result) == f"{action} is for hr_admin only"
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_a_token_for_someone_unknown_grants_nothing(company):
    assert codes(graphql(act_as(company, "employee", "NOBODY"), DEPARTMENTS)) == []
    gone = act_as(company, "manager", "P1", "GONE").post("/graphql", json={"query": DEPARTMENTS})
    assert gone.status_code == 403 and "no such department" in gone.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("subject", "department", "allowed"),
    [
        ("P1", "PROD", True),  # manages P2 in PROD (and works there)
        ("P1", "HQ", True),  # manages P2, who is in HQ's subtree
        ("H1", "HQ", True),  # works in HQ itself
        ("P2", "PROD", True),  # works in PROD: the rule does not look at titles
        ("A1", "PROD", False),  # works below PROD, manages no one
        ("C1", "PROD", False),  # another department's employee
        ("H1", "PROD", False),  # works above PROD, manages no one there
        ("NOBODY", "PROD", False),  # no such employee
    ],
)
def test_a_manager_token_counts_only_for_someone_who_manages_or_works_there(
    company, subject, department, allowed
):
    response = act_as(company, "manager", subject, department).post("/graphql", json={"query": DEPARTMENTS})

    if allowed:
        assert response.status_code == 200 and department in codes(response.json())
    else:
        assert response.status_code == 403
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert f"manages someone in department '{department}' or works in it" in error["message"]
        assert "data" not in response.json()


def test_an_erased_manager_manages_nothing(company, engine):
    with Session(engine) as session:
        p1 = session.exec(select(models.Employee).where(models.Employee.employee_id == "P1")).one()
        p1.erased_at = datetime.now(UTC)
        session.add(p1)
        session.commit()

    response = act_as(company, "manager", "P1", "PROD").post("/graphql", json={"query": DEPARTMENTS})

    assert response.status_code == 403
    assert "no current employee" in response.json()["errors"][0]["message"]


def test_refusals_are_not_logged_since_they_name_the_person_asked_for(company, caplog):
    with caplog.at_level("DEBUG"):
        result = graphql(act_as(company, "employee", "P2"), '{ employee(id: "P1") { name } }')

    assert "P1" in result["errors"][0]["message"]
    assert "P1" not in caplog.text
