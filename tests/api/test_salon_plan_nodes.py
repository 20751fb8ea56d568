"""Salons and improvement plans are nodes: ``id`` is the global id (``Salon:3``,
``ImprovementPlan:7``), ``salonId``/``planId`` keep the number, ``node(id:)`` refetches them under
the rules of ``salon(id:)`` and ``plan(id:)``, and every argument that took the number takes
either form — a bad one is BAD_USER_INPUT naming the argument."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.models import SalonStatus
from tests.api.conftest import act_as, graphql
from tests.api.test_plans_api import company, create, held  # noqa: F401  (fixtures)
from tests.support.follow_up import add_salon

NODE = """query ($id: ID!) { node(id: $id) { id __typename
  ... on Salon { salonId month } ... on ImprovementPlan { planId deadline } } }"""
SALON = "query ($id: ID!) { salon(id: $id) { id salonId month } }"
PLAN = "query ($id: ID!) { plan(id: $id) { id planId deadline } }"
SCHEDULE = (
    "mutation ($id: ID!, $at: DateTime!) { scheduleSalon(salonId: $id, at: $at) { id salonId status } }"
)
UPDATE = "mutation ($id: ID!, $g: Float!) { updateImprovementPlan(id: $id, input: {goalChange: $g}) { id goalChange } }"
CANCEL = 'mutation ($id: ID!) { cancelImprovementPlan(id: $id, reason: "merged") { id status } }'


def node(client, id_: str):
    result = graphql(client, NODE, id=id_)
    assert "errors" not in result, result["errors"]
    return result["data"]["node"]


def viewers(client) -> dict[str, object]:
    return {
        "hr": client,
        "PROD manager": act_as(client, "manager", "P1", "PROD"),
        "CS manager": act_as(client, "manager", "C1", "CS"),
        "PROD employee": act_as(client, "employee", "P2", "PROD"),
        "CS employee": act_as(client, "employee", "C1", "CS"),
        "service": act_as(client, "service", "bi", None),
    }


def test_a_salon_and_a_plan_round_trip_through_node(company, held):  # noqa: F811
    plan = create(company, held)
    salon = graphql(company, SALON, id=str(held))["data"]["salon"]

    assert salon == {"id": f"Salon:{held}", "salonId": str(held), "month": "2026-11"}
    assert node(company, salon["id"]) == {"__typename": "Salon", **salon}
    assert plan["id"] == f"ImprovementPlan:{plan['planId']}"
    assert node(company, plan["id"]) == {
        "id": plan["id"],
        "__typename": "ImprovementPlan",
        "planId": plan["planId"],
        "deadline": "2027-03",
    }
    # the global id goes back into the queries that took the number, with the same answer
    assert graphql(company, SALON, id=salon["id"])["data"]["salon"] == salon
    assert (
        graphql(company, PLAN, id=plan["id"])["data"]["plan"]
        == graphql(company, PLAN, id=plan["planId"])["data"]["plan"]
    )


def test_node_reads_as_the_types_own_query_for_every_role(company, engine, held):  # noqa: F811
    plan = create(company, held)
    cs_salon = add_salon(engine, "CS", participants=("C1",))
    seen = {}
    for role, client in viewers(company).items():
        for salon_id in (held, cs_salon):
            by_query = graphql(client, SALON, id=str(salon_id))["data"]["salon"]
            assert node(client, f"Salon:{salon_id}") == (by_query and {"__typename": "Salon", **by_query}), (
                role
            )
            seen[(role, salon_id)] = by_query is not None
        by_query = graphql(client, PLAN, id=plan["planId"])["data"]["plan"]
        assert node(client, plan["id"]) == (by_query and {"__typename": "ImprovementPlan", **by_query}), role
        seen[(role, "plan")] = by_query is not None

    assert seen[("hr", held)] and seen[("hr", cs_salon)] and seen[("hr", "plan")]
    assert seen[("PROD manager", held)] and not seen[("PROD manager", cs_salon)]
    assert (
        not seen[("CS manager", held)] and not seen[("CS manager", "plan")]
    )  # out of scope reads as unknown
    assert seen[("PROD employee", "plan")]  # a member of the plan
    assert not seen[("CS employee", "plan")]
    assert node(company, f"Salon:{cs_salon + 1000}") is None and node(company, "ImprovementPlan:999") is None


def test_mutations_take_the_number_or_the_global_id(company, engine):  # noqa: F811
    first, second = add_salon(engine), add_salon(engine, "PROD", "2026-12")
    at = (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0).isoformat()
    by_number = graphql(company, SCHEDULE, id=str(first), at=at)["data"]["scheduleSalon"]
    by_global = graphql(company, SCHEDULE, id=f"Salon:{second}", at=at)["data"]["scheduleSalon"]
    assert by_number == {"id": f"Salon:{first}", "salonId": str(first), "status": "SCHEDULED"}
    assert by_global == {"id": f"Salon:{second}", "salonId": str(second), "status": "SCHEDULED"}

    held_salon = add_salon(engine, "PROD", "2027-01", status=SalonStatus.HELD)
    plan = create(company, f"Salon:{held_salon}")  # PlanInput.salonId, as a global id
    assert graphql(company, "query ($id: ID!) { plan(id: $id) { salon { salonId } } }", id=plan["id"])[
        "data"
    ]["plan"]["salon"] == {"salonId": str(held_salon)}
    updated = graphql(company, UPDATE, id=plan["id"], g=-0.3)["data"]["updateImprovementPlan"]
    assert updated == {"id": plan["id"], "goalChange": -0.3}
    cancelled = graphql(company, CANCEL, id=plan["planId"])["data"]["cancelImprovementPlan"]
    assert cancelled == {"id": plan["id"], "status": "CANCELLED"}


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        (
            SALON,
            {"id": "ImprovementPlan:1"},
            "id: 'ImprovementPlan:1' is the global id of another type (ImprovementPlan), not of a salon",
        ),
        (PLAN, {"id": "Salon:1"}, "id: 'Salon:1' is the global id of another type (Salon), not of a plan"),
        (
            PLAN,
            {"id": "Department:PROD"},
            "id: 'Department:PROD' is the global id of another type (Department), not of a plan",
        ),
        (
            SALON,
            {"id": "Salon:abc"},
            "id: not a salon id: 'Salon:abc' (a number, or a global id Salon:<number>)",
        ),
        (
            SALON,
            {"id": "Salon:-1"},
            "id: not a salon id: 'Salon:-1' (a number, or a global id Salon:<number>)",
        ),
        (
            SCHEDULE,
            {"id": "Plan:1", "at": "2030-01-01T09:00:00+08:00"},
            "salonId: 'Plan:1' is the global id of another type (Plan), not of a salon",
        ),
        (
            CANCEL,
            {"id": "ImprovementPlan:9" + "9" * 30},
            "id: not a plan id: 'ImprovementPlan:99999",
        ),
    ],
)
def test_a_bad_id_is_bad_user_input_naming_the_argument(company, query, variables, message):  # noqa: F811
    (error,) = graphql(company, query, **variables)["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith(message)


def test_a_malformed_global_id_reads_as_unknown_through_node(company, held):  # noqa: F811
    for unknown in ("Salon:abc", "Salon:0", "ImprovementPlan:", "ImprovementPlan:1.5", f"Salon:{held}x"):
        assert node(company, unknown) is None
