"""The front end's operation documents (``tests/api/frontend``, typed by ``test_codegen``) are
what the server answers: each screen's query, as its viewer sends it, passes the limits (the cost
estimate included) and answers without errors — so the types compiled there describe real
answers. Runs without Node."""

from __future__ import annotations

from pathlib import Path

from tests.api import sized_company
from tests.api.conftest import act_as, graphql
from tests.api.test_query_counts import company  # noqa: F401  (fixture)
from tests.support.follow_up import add_salon

FRONTEND = Path(__file__).parent / "frontend"
MONTH = "2026-11"


def answer(client, document: str, **variables) -> dict:
    result = graphql(client, (FRONTEND / document).read_text(encoding="utf-8"), **variables)
    assert "errors" not in result, result["errors"]
    return result["data"]


def test_the_hr_overview_document(company, engine):  # noqa: F811
    salon = add_salon(engine, "D00", MONTH, participants=("D00-0",))

    data = answer(company, "hr_overview.graphql", period=sized_company.PERIOD, month=MONTH)

    departments = {d["code"]: d for d in data["departments"]}
    assert len(departments) == 5
    assert all(g["drivers"] and g["complete"] for d in departments.values() for g in d["gaps"])
    assert [s["id"] for s in departments["D00"]["salons"]] == [f"Salon:{salon}"]


def test_the_department_page_document(company):  # noqa: F811
    manager = act_as(company, "manager", "D00-M", "D00")
    variables = {"code": "D00", "metric": "defect_rate", "from": "2026-08", "to": sized_company.PERIOD}

    data = answer(manager, "department.graphql", month=MONTH, **variables)

    department = data["department"]
    people = department["employeesConnection"]
    assert [p["period"] for p in department["series"]] == ["2026-08", "2026-09", "2026-10"]
    assert people["totalCount"] == len(people["edges"]) > 0
    assert department["gaps"] and department["topPerformers"]


def test_the_salon_page_document(company, engine):  # noqa: F811
    salon = add_salon(engine, "D00", MONTH, participants=("D00-0",))

    data = answer(company, "salon.graphql", id=str(salon), locale="en")

    page = data["salon"]
    assert page["id"] == f"Salon:{salon}" and page["title"] == "en title"
    assert page["participantsConnection"]["edges"][0]["node"]["employeeId"] == "D00-0"
    assert page["charts"] and page["agenda"] and page["questions"]


def test_an_employees_own_page_document(company, engine):  # noqa: F811
    salon = add_salon(engine, "D00", MONTH, participants=("D00-0",))
    me = act_as(company, "employee", "D00-0")

    data = answer(me, "own_page.graphql", period=sized_company.PERIOD)

    page = data["me"]
    assert page["employeeId"] == "D00-0" and page["department"]["code"] == "D00"
    assert {m["metric"]["code"] for m in page["metrics"]} == set(sized_company.METRICS)
    assert [r["salon"]["id"] for r in page["salonRoles"] if r["invited"]] == [f"Salon:{salon}"]
