"""Links, not strings: related entities as fields, enum twins of code fields, specified scalars."""

from __future__ import annotations

from api.schema import sdl
from tests.api.conftest import act_as, graphql
from tests.api.test_salons_api import plan, planner  # noqa: F401  (fixture)

DRIVERS = """{ department(code: "STORE") { gaps(period: "2026-Q3") {
  drivers { dimension driverDimension segment employee { employeeId } } } } }"""
PERFORMERS = """{ department(code: "STORE") {
  topPerformers(metricCode: "avg_order_value", period: "2026-Q3") { employeeId employee { employeeId name } name } } }"""


def test_a_person_driver_links_to_the_person_and_others_to_nobody(planner):  # noqa: F811
    gaps = graphql(planner, DRIVERS)["data"]["department"]["gaps"]
    drivers = [d for g in gaps for d in g["drivers"]]
    assert {d["dimension"] for d in drivers} == {"tenure", "team", "employee"}
    for driver in drivers:
        assert driver["driverDimension"] == driver["dimension"].upper()
        expected = {"employeeId": driver["segment"]} if driver["dimension"] == "employee" else None
        assert driver["employee"] == expected


def test_a_performer_links_to_the_employee_within_scope(planner):  # noqa: F811
    performers = graphql(planner, PERFORMERS)["data"]["department"]["topPerformers"]
    assert performers
    for performer in performers:
        assert performer["employee"] == {"employeeId": performer["employeeId"], "name": performer["name"]}


def test_a_department_lists_its_salons_as_the_root_field_does(planner):  # noqa: F811
    plan(planner, month="2026-11")
    own = graphql(planner, '{ department(code: "STORE") { salons(month: "2026-11") { id } } }')["data"]
    root = graphql(planner, '{ salons(month: "2026-11", departmentCode: "STORE") { id } }')["data"]
    assert own["department"]["salons"] == root["salons"] and root["salons"]


def test_enum_twins_match_their_codes(planner):  # noqa: F811
    topics = graphql(planner, '{ topics(departmentCode: "TECH", month: "2026-11") { kind topicKind } }')
    topics = topics["data"]["topics"]
    assert {t["kind"] for t in topics} == {"shortfall", "growth"}
    assert all(t["topicKind"] == t["kind"].upper() for t in topics)
    tech = graphql(planner, '{ department(code: "TECH") { employees { employeeId } } }')["data"]
    person = tech["department"]["employees"][0]["employeeId"]
    growth = graphql(
        act_as(planner, "employee", person),
        f'{{ employee(id: "{person}") {{ growth {{ kind growthKind }} }} }}',
    )
    records = growth["data"]["employee"]["growth"]
    assert records and all(r["growthKind"] == r["kind"].upper() for r in records)


def test_dates_and_periods_name_their_specification():
    schema = sdl()
    assert 'scalar Date @specifiedBy(url: "https://scalars.graphql.org/andimarek/local-date.html")' in schema
    assert (
        'scalar DateTime @specifiedBy(url: "https://scalars.graphql.org/andimarek/date-time.html")' in schema
    )
    assert "scalar Period @specifiedBy(url:" in schema


def test_participants_page_by_page_are_the_participants(planner):  # noqa: F811
    plan(planner, month="2026-11")
    query = """query ($after: String) { salons(month: "2026-11") { id participants { employeeId }
      participantsConnection(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { employeeId } } } } }"""
    salon = max(graphql(planner, query)["data"]["salons"], key=lambda s: len(s["participants"]))
    expected = [p["employeeId"] for p in salon["participants"]]
    seen, after = [], None
    while True:
        salons = graphql(planner, query, after=after)["data"]["salons"]
        connection = next(s for s in salons if s["id"] == salon["id"])["participantsConnection"]
        assert connection["totalCount"] == len(expected)
        seen += [edge["node"]["employeeId"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == expected and len(expected) > 2
