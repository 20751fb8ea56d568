"""``Department.salons(month)`` is batched across departments: the HR overview with every
department's salons runs as many SQL statements for 5 departments as for 17, and each
department lists what ``salons(month, departmentCode)`` lists for it."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from domain.models import Department, Salon
from tests.api import sized_company
from tests.api.conftest import act_as, graphql
from tests.api.test_query_counts import MORE, company, run  # noqa: F401  (fixture)
from tests.support.follow_up import add_salon

MONTH = "2026-11"
OVERVIEW = """query ($month: Period!) { departments { id code
  salons(month: $month) { id salonId title departments { code } hostDepartment { code } } } }"""
ONE = """query ($month: Period!, $code: String!) { salons(month: $month, departmentCode: $code) { id } }"""


def salons_for_every_branch(engine: Engine) -> None:
    """A salon per branch department, and an exchange it hosts for its sub-department (listed under both)."""
    with Session(engine) as session:
        ids = {d.code: d.id for d in session.exec(select(Department))}
        planned = set(session.exec(select(Salon.department_id)).all())
    branches = [c for c in ids if c.startswith("D") and not c.endswith("-SUB")]
    for code in sorted(c for c in branches if ids[c] not in planned):
        add_salon(engine, code, MONTH, participants=(f"{code}-0",))
        add_salon(engine, f"{code}-SUB", MONTH, host=code, participants=(f"{code}-SUB-0",))


def test_every_departments_salons_cost_the_same_statements_at_two_sizes(company, engine):  # noqa: F811
    salons_for_every_branch(engine)
    small, small_statements = run(company, engine, OVERVIEW, month=MONTH)
    sized_company.grow(engine, MORE)
    salons_for_every_branch(engine)
    large, large_statements = run(company, engine, OVERVIEW, month=MONTH)

    assert (len(small["departments"]), len(large["departments"])) == (5, 17)
    listed = {d["code"]: d["salons"] for d in large["departments"]}
    assert len(listed["D07"]) == 2 and len(listed["D07-SUB"]) == 1  # its own, and the exchange it hosts
    assert listed["D07-SUB"][0]["hostDepartment"] == {"code": "D07"}
    assert listed["D07-SUB"][0]["id"] in {s["id"] for s in listed["D07"]}
    assert listed["ROOT"] == []
    assert len(large_statements) == len(small_statements), large_statements


def test_each_department_lists_what_salons_of_its_code_lists(company, engine):  # noqa: F811
    salons_for_every_branch(engine)
    manager = act_as(company, "manager", "D01-M", "D01")
    for client in (company, manager):
        departments = graphql(client, OVERVIEW, month=MONTH)["data"]["departments"]
        assert departments  # a manager sees their own subtree
        for department in departments:
            alone = graphql(client, ONE, month=MONTH, code=department["code"])["data"]["salons"]
            assert [s["id"] for s in department["salons"]] == [s["id"] for s in alone]
    seen = {d["code"] for d in graphql(manager, OVERVIEW, month=MONTH)["data"]["departments"]}
    assert seen == {"D01", "D01-SUB"}
