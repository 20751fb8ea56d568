"""``Department.salons(month)`` on a department outside the viewer's scope is refused as
``salons(month, departmentCode)`` refuses it — FORBIDDEN, the same message — and answers none of
its salons. Such a department is reachable: a plan's effect names the departments it was compared
with, whatever the viewer's scope (the world of ``test_plan_scope``: PROD's plan compared with CS)."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import act_as, graphql
from tests.api.test_plan_scope import world  # noqa: F401  (fixture)
from tests.support.follow_up import add_salon

COMPARED = """query ($id: ID!) {
  plan(id: $id) { id effect { comparisonDepartments { code
    salons(month: "2026-11") { id salonId title participants { employeeId } } } } } }"""
BOTH = """query ($id: ID!) {
  own: department(code: "PROD") { salons(month: "2026-11") { id } }
  plan(id: $id) { effect { comparisonDepartments { salons(month: "2026-11") { id } } } } }"""
DIRECT = '{ salons(month: "2026-11", departmentCode: "CS") { id } }'


@pytest.fixture
def cs_salon(world, engine) -> str:  # noqa: F811
    """A salon of CS in the month, with C1 taking part."""
    return f"Salon:{add_salon(engine, 'CS', participants=('C1',))}"


def test_hr_reads_a_compared_departments_salons(world, cs_salon):  # noqa: F811
    result = graphql(world["client"], COMPARED, id=world["prod"])

    assert "errors" not in result, result["errors"]
    (compared,) = result["data"]["plan"]["effect"]["comparisonDepartments"]
    assert compared["code"] == "CS" and [s["id"] for s in compared["salons"]] == [cs_salon]
    assert compared["salons"][0]["participants"] == [{"employeeId": "C1"}]


@pytest.mark.parametrize(
    "viewer",
    [("manager", "P1", "PROD"), ("employee", "P2", None), ("service", "prod-board", "PROD")],
    ids=["manager", "member", "service"],
)
def test_a_compared_department_outside_the_scope_has_its_salons_refused(world, cs_salon, viewer):  # noqa: F811
    client = act_as(world["client"], *viewer)

    result = graphql(client, COMPARED, id=world["prod"])
    direct = graphql(client, DIRECT)

    (error,) = result["errors"]
    assert error["extensions"]["code"] == direct["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert error["message"] == direct["errors"][0]["message"] == "no department 'CS' in your scope"
    assert error["path"] == ["plan", "effect", "comparisonDepartments", 0, "salons"]
    assert result["data"]["plan"] == {"id": world["prod"], "effect": None}  # the refusal nulls the effect
    body = json.dumps(result)
    assert cs_salon not in body and "title" not in body and "C1" not in body


def test_the_refusal_leaves_the_viewers_own_departments_salons_in_the_same_request(world, cs_salon):  # noqa: F811
    """One department refused does not take the other's salons with it."""
    result = graphql(act_as(world["client"], "manager", "P1", "PROD"), BOTH, id=world["prod"])

    assert [e["extensions"]["code"] for e in result["errors"]] == ["FORBIDDEN"]
    assert [s["id"] for s in result["data"]["own"]["salons"]] == [world["salon"]]
    assert result["data"]["plan"]["effect"] is None
    assert cs_salon not in json.dumps(result)
