"""A salon's people and per-person figures follow the rules of ``employee(id:)``, on the demo company.

HR sees everything (audited); a manager their subtree's people (audited) and the others by name
and role; an employee their own row and aggregates; a service aggregates only.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from domain.disclosure import MIN_SEGMENT
from tests.api.conftest import act_as, graphql
from tests.api.test_salons_api import plan, planner  # noqa: F401  (the fixture)

PEOPLE = """query($id: ID!) { salon(id: $id) {
  participantCount
  presenters { employeeId name hireDate level team department { code } }
  participants { employeeId name hireDate level team department { code } }
  groups { members { employeeId } people { name role employee { employeeId } } }
  people { name role employee { employeeId hireDate level team } }
  charts { title spec }
} }"""
IDS = 'query { salons(month: "2026-11") { salonId departments { code } } }'
STAFF = "query($code: String!) { department(code: $code) { employees { employeeId name team } } }"
LOG = "{ auditLog(last: 500) { actor actions subjects } }"


@pytest.fixture
def planned(planner):  # noqa: F811
    plan(planner, month="2026-11")
    return planner


def salon_ids(client) -> dict[str, str]:
    return {s["departments"][0]["code"]: s["salonId"] for s in graphql(client, IDS)["data"]["salons"]}


def staff(client, code: str) -> dict[str, dict]:
    return {e["employeeId"]: e for e in graphql(client, STAFF, code=code)["data"]["department"]["employees"]}


def heatmap(salon: dict) -> list[dict]:
    (chart,) = [c for c in salon["charts"] if c["spec"].get("mark") == "rect"]
    return chart["spec"]


def read(client, salon_id: str) -> dict:
    result = graphql(client, PEOPLE, id=salon_id)
    assert "errors" not in result, result["errors"]
    return result["data"]["salon"]


def test_a_service_reads_no_person_and_no_individual_figure(planned):
    prod = salon_ids(planned)["PROD"]
    people = staff(planned, "PROD")
    service = act_as(planned, "service", "bi-dashboard")

    result = graphql(service, PEOPLE, id=prod)

    salon = result["data"]["salon"]
    assert salon["presenters"] == salon["participants"] == salon["people"] == []
    assert all(g["members"] == g["people"] == [] for g in salon["groups"]) and salon["groups"]
    assert salon["participantCount"] == len(people)
    text = json.dumps(result, ensure_ascii=False)
    assert not [p for p in people if p in text] and not [
        p["name"] for p in people.values() if p["name"] in text
    ]
    spec = heatmap(salon)
    assert spec["encoding"]["y"]["field"] == "segment" and spec["data"]["values"]
    assert all(row["people"] >= MIN_SEGMENT for row in spec["data"]["values"])


def test_aggregated_figures_are_the_means_of_the_whole_rows(planned):
    prod = salon_ids(planned)["PROD"]
    teams = {p: e["team"] or "—" for p, e in staff(planned, "PROD").items()}
    whole = heatmap(read(planned, prod))["data"]["values"]
    served = heatmap(read(act_as(planned, "service", "bi-dashboard"), prod))["data"]["values"]

    for row in served:
        if row["segment"] in set(teams.values()):
            values = [
                r["value"]
                for r in whole
                if r["month"] == row["month"] and teams[r["employee"]] == row["segment"]
            ]
            assert row["value"] == pytest.approx(sum(values) / len(values), abs=1e-4)
            assert row["people"] == len(values)
    everyone = [row for row in served if row["segment"] == "全体"]  # the default locale's "All"
    assert everyone
    for row in everyone:
        values = [r["value"] for r in whole if r["month"] == row["month"]]
        assert row["value"] == pytest.approx(sum(values) / len(values), abs=1e-4)


def test_an_employee_sees_their_own_row_and_colleagues_by_name_and_role(planned):
    prod = salon_ids(planned)["PROD"]
    people = staff(planned, "PROD")
    me = sorted(people)[0]
    whole = heatmap(read(planned, prod))["data"]["values"]

    salon = read(act_as(planned, "employee", me), prod)

    assert [p["employeeId"] for p in salon["participants"]] == [me]
    assert salon["participants"][0]["department"] == {"code": "PROD"}
    assert {p["name"] for p in salon["people"]} == {p["name"] for p in people.values()}
    assert [p["employee"]["employeeId"] for p in salon["people"] if p["employee"]] == [me]
    assert {p["role"] for p in salon["people"]} == {"PARTICIPANT"}
    rows = heatmap(salon)["data"]["values"]
    assert {r["segment"] for r in rows} & set(people) == {me}
    mine = sorted((r["month"], r["value"]) for r in rows if r["segment"] == me)
    assert mine == sorted((r["month"], r["value"]) for r in whole if r["employee"] == me) and mine
    assert {r["segment"] for r in rows} >= {"全体"}  # the department's mean to set it against


def test_a_manager_sees_their_people_whole_and_the_host_presenters_by_name_and_role_only(planned):
    sales = salon_ids(planned)["SALES"]
    hr_view = read(planned, sales)
    presenters = {p["employeeId"]: p for p in hr_view["presenters"]}
    manager = act_as(planned, "manager", sorted(staff(planned, "SALES"))[0], "SALES")

    result = graphql(manager, PEOPLE, id=sales)

    assert "errors" not in result  # `department` of anyone reachable answers, never "internal error"
    salon = result["data"]["salon"]
    assert salon["presenters"] == [] and len(presenters) == 3
    named = [p for p in salon["people"] if p["role"] == "PRESENTER"]
    assert sorted(p["name"] for p in named) == sorted(p["name"] for p in presenters.values())
    assert all(p["employee"] is None for p in named)
    assert {p["department"]["code"] for p in salon["participants"]} == {"SALES"}
    # the exchange SALES shares with OPS: OPS's people are counted, never shown to SALES's manager
    assert 0 < len(salon["participants"]) < salon["participantCount"]
    text = json.dumps(result, ensure_ascii=False)
    assert not [p for p in presenters if p in text]


def test_a_host_presenters_record_is_not_read_through_the_salon(planned):
    sales = salon_ids(planned)["SALES"]
    presenter = read(planned, sales)["presenters"][0]
    manager = act_as(planned, "manager", sorted(staff(planned, "SALES"))[0], "SALES")
    query = "query($id: ID!) { salon(id: $id) { people { employee { hireDate level team department { code } } } } }"

    people = graphql(manager, query, id=sales)["data"]["salon"]["people"]

    shown = [p["employee"] for p in people if p["employee"]]
    assert shown and {e["department"]["code"] for e in shown} == {"SALES"}
    assert presenter["employeeId"] not in json.dumps(people)


def test_hr_and_the_departments_manager_see_everything_and_it_is_audited(planned):
    prod = salon_ids(planned)["PROD"]
    people = staff(planned, "PROD")
    manager_id = sorted(people)[1]

    hr_rows = heatmap(read(planned, prod))["data"]["values"]
    manager_rows = heatmap(read(act_as(planned, "manager", manager_id, "PROD"), prod))["data"]["values"]

    assert hr_rows == manager_rows and len({r["employee"] for r in hr_rows}) > MIN_SEGMENT
    assert {r["employee"] for r in hr_rows} <= set(people)
    entries = graphql(planned, LOG)["data"]["auditLog"]
    for actor in ("hr_admin:hr-admin", f"manager:{manager_id}"):
        mine = [e for e in entries if e["actor"] == actor and "read:Salon.people" in e["actions"]]
        assert len(mine) == 1  # one entry for the request, listing whom it read
        seen = set(mine[0]["subjects"])
        assert f"salon:{prod}" in seen
        assert {f"employee:{p}" for p in people} <= seen


def test_a_service_read_is_not_audited_as_reading_people(planned):
    prod = salon_ids(planned)["PROD"]

    read(act_as(planned, "service", "bi-dashboard"), prod)

    entries = graphql(planned, LOG)["data"]["auditLog"]
    assert not [e for e in entries if e["actor"] == "service:bi-dashboard"]


def test_only_hr_and_the_managers_of_an_attending_department_change_a_salon(planned):
    sales = salon_ids(planned)["SALES"]
    cs_manager = act_as(planned, "manager", sorted(staff(planned, "CS"))[0], "CS")
    sales_manager = act_as(planned, "manager", sorted(staff(planned, "SALES"))[0], "SALES")
    cancel = 'mutation($id: ID!) { cancelSalon(salonId: $id, reason: "clash") { status } }'
    at = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    schedule = f'mutation($id: ID!) {{ scheduleSalon(salonId: $id, at: "{at}") {{ status }} }}'

    host_cancel = graphql(cs_manager, cancel, id=sales)
    host_schedule = graphql(cs_manager, schedule, id=sales)

    for refused in (host_cancel, host_schedule):
        assert refused["errors"][0]["message"] == f"salonId: no salon {sales} that your departments attend"
    assert graphql(cs_manager, IDS)["data"]["salons"]  # the host still sees the salon it hosts
    assert graphql(sales_manager, schedule, id=sales)["data"]["scheduleSalon"] == {"status": "SCHEDULED"}
    assert graphql(planned, cancel, id=sales)["data"]["cancelSalon"] == {"status": "CANCELLED"}


@pytest.mark.parametrize("role", ["manager", "employee", "service"])
def test_an_unknown_and_an_out_of_scope_department_read_alike(planned, role):
    subject = sorted(staff(planned, "SALES"))[0] if role != "service" else "bi"
    viewer = act_as(planned, role, subject, "SALES" if role != "employee" else None)
    query = 'query($d: String) { salons(month: "2026-11", departmentCode: $d) { id } }'

    unknown = graphql(viewer, query, d="NOPE")["errors"][0]
    outside = graphql(viewer, query, d="STORE")["errors"][0]

    assert unknown["message"] == "no department 'NOPE' in your scope"
    assert outside["message"] == "no department 'STORE' in your scope"
    assert unknown["extensions"]["code"] == outside["extensions"]["code"] == "FORBIDDEN"
    hr = graphql(planned, query, d="NOPE")["errors"][0]
    assert hr["message"] == "departmentCode: unknown department 'NOPE'"


PLAN = "mutation($m: Period!, $d: [String!]) { planMonth(month: $m, departmentCodes: $d) { id } }"
SCHEDULE = "mutation($at: DateTime!) { scheduleSalon(salonId: 1, at: $at) { id } }"


@pytest.mark.parametrize(
    "salon_id", ["99999999999999999999999", "9223372036854775808", "-1", "0", "1e3", "٣"]
)
def test_a_salon_id_the_database_cannot_hold_is_a_bad_input(client, salon_id):
    result = graphql(client, "query($id: ID!) { salon(id: $id) { id } }", id=salon_id)

    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert result["errors"][0]["message"].startswith("id: not a salon id")


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59-23:59", "2099-01-01T00:00:00Z"])
def test_a_schedule_time_far_from_now_is_a_bad_input(client, at):
    result = graphql(client, SCHEDULE, at=at)

    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert result["errors"][0]["message"] == "at: a salon is scheduled within 730 days of today"


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+23:59", "2020-01-01T09:00:00+08:00"])
def test_a_schedule_time_in_the_past_is_a_bad_input(client, at):
    result = graphql(client, SCHEDULE, at=at)

    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert result["errors"][0]["message"].startswith(f"at: {at} is in the past (it is now ")


def test_plan_month_refuses_too_many_department_codes_before_querying(client):
    result = graphql(client, PLAN, m="2026-11", d=[f"D{i}" for i in range(2_001)])

    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert result["errors"][0]["message"] == "departmentCodes: at most 2000 codes, got 2001"
    # 300k codes do not even reach the resolver: the body is over the 1 MiB limit
    codes = [f"D{i}" for i in range(300_000)]
    response = client.post("/graphql", json={"query": PLAN, "variables": {"m": "2026-11", "d": codes}})
    assert response.status_code == 413


def test_plan_month_names_a_few_unknown_codes_of_many(client):
    result = graphql(client, PLAN, m="2026-11", d=[f"D{i:04d}" for i in range(1500)])

    message = result["errors"][0]["message"]
    assert (
        message.startswith("departmentCodes: unknown department(s) ['D0000'") and "and 1480 more" in message
    )


@pytest.mark.parametrize("month", ["0001-01", "1999-12", "2101-01"])
def test_plan_month_refuses_a_month_out_of_range_up_front(client, month):
    result = graphql(client, PLAN, m=month)

    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert (
        result["errors"][0]["message"]
        == f"month: planning takes a month of the years 2000 to 2100, got {month}"
    )
    assert result["data"] is None  # refused before a job was queued
