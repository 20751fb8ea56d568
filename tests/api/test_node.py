"""Global ids and ``Query.node``: every id refetches its entity, out of scope reads as unknown."""

from __future__ import annotations

from tests.api.conftest import act_as, graphql
from tests.api.test_gaps_api import recomputed  # noqa: F401  (fixture)

STORE = """{ department(code: "STORE") { id code
  employees { id employeeId }
  gaps(period: "2026-Q3") { id actual metric { id code } } } }"""
NODE = """query ($id: ID!) { node(id: $id) { id __typename
  ... on Department { code } ... on Employee { employeeId } ... on Metric { code } ... on Gap { actual }
  ... on Job { kind } } }"""


def node(client, id_: str):
    return graphql(client, NODE, id=id_)["data"]["node"]


def test_every_id_refetches_its_entity(recomputed):  # noqa: F811
    store = graphql(recomputed, STORE)["data"]["department"]
    gap, person = store["gaps"][0], store["employees"][0]
    assert store["id"] == "Department:STORE"
    assert node(recomputed, store["id"]) == {
        "id": "Department:STORE",
        "__typename": "Department",
        "code": "STORE",
    }
    assert node(recomputed, person["id"])["employeeId"] == person["employeeId"]
    assert node(recomputed, gap["metric"]["id"])["code"] == gap["metric"]["code"]
    assert node(recomputed, gap["id"]) == {"id": gap["id"], "__typename": "Gap", "actual": gap["actual"]}
    ids = [store["id"], gap["id"], gap["metric"]["id"], *(p["id"] for p in store["employees"])]
    assert len(set(ids)) == len(ids)


def test_a_job_is_its_own_node_for_hr(recomputed):  # noqa: F811
    job = graphql(recomputed, "{ jobs(first: 1) { id kind } }")["data"]["jobs"][0]
    assert node(recomputed, job["id"]) == {"id": job["id"], "__typename": "Job", "kind": job["kind"]}


def test_out_of_scope_reads_as_unknown(recomputed):  # noqa: F811
    prod = graphql(recomputed, '{ department(code: "PROD") { employees { employeeId } } }')["data"]
    insider = prod["department"]["employees"][0]["employeeId"]
    store = graphql(recomputed, STORE)["data"]["department"]
    job = graphql(recomputed, "{ jobs(first: 1) { id } }")["data"]["jobs"][0]
    employee = act_as(recomputed, "employee", insider)
    for hidden in (store["id"], store["employees"][0]["id"], store["gaps"][0]["id"], job["id"]):
        assert node(employee, hidden) is None
    for unknown in ("Department:NOPE", "Gap:1:2:2026-13", "Nothing:1", "Employee:", "no-such-job"):
        assert node(recomputed, unknown) is None
    assert node(employee, f"Employee:{insider}")["employeeId"] == insider  # their own record
