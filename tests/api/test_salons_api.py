"""Salons over GraphQL: formats, the planned month, topics, scheduling and cancelling, locales."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.api.conftest import act_as, graphql
from tests.support import plugin_dists
from workers.rebuild import rebuild

SALONS = """
query($month: Period!, $department: String, $locale: String) {
  salons(month: $month, departmentCode: $department, locale: $locale) {
    id month status title scheduledAt
    format { key name description }
    departments { code } hostDepartment { code }
    topic { kind skill severity title metric { code } }
    presenters { employeeId name } participants { employeeId }
    groups { name members { employeeId } }
    charts { title spec } questions agenda { title minutes }
  }
}"""
TOPICS = "query($department: String!, $month: Period!) { topics(departmentCode: $department, month: $month) { kind } }"
PLAN = """mutation($month: Period!, $departments: [String!], $formats: [String!]) {
  planMonth(month: $month, departmentCodes: $departments, formats: $formats) { id status }
}"""


def plan(client, **variables) -> dict:
    """Plan through the API and wait for the job, as a client would."""
    job = graphql(client, PLAN, **variables)["data"]["planMonth"]
    deadline = time.monotonic() + 60
    while job["status"] not in ("SUCCEEDED", "FAILED") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = graphql(client, "query($id: ID!) { job(id: $id) { id status error result } }", id=job["id"])[
            "data"
        ]["job"]
    assert job["status"] == "SUCCEEDED", job
    return job


@pytest.fixture
def planner(demo_client, demo_engine):
    """The demo client, with the gap engine's results computed (as after the demo's first start)."""
    rebuild(demo_engine)
    return demo_client


def by_department(salons: list[dict]) -> dict[str, dict]:
    """Each attending department's salon (OPS and SALES share their exchange with CS)."""
    return {d["code"]: s for s in salons for d in s["departments"]}


def test_a_planned_month_reads_whole(planner):
    plan(planner, month="2026-11")

    salons = by_department(graphql(planner, SALONS, month="2026-11", locale="en")["data"]["salons"])

    assert {
        code: s["format"]["key"] for code, s in salons.items() if code in ("STORE", "PROD", "TECH", "SALES")
    } == {
        "STORE": "data_review_workshop",
        "PROD": "data_review_workshop",
        "TECH": "skill_sharing",
        "SALES": "cross_department_exchange",
    }
    sales = salons["SALES"]
    assert sales["hostDepartment"] == {"code": "CS"} and sales["status"] == "PROPOSED"
    assert sales["topic"]["metric"] == {"code": "complaint_rate"} and sales["topic"]["kind"] == "shortfall"
    assert len(sales["presenters"]) == 3 and sales["format"]["name"] == "Cross-department exchange"
    prod = salons["PROD"]
    assert prod["title"] == "Data-review workshop: Defect rate"  # the metric's English label
    assert [g["name"] for g in prod["groups"]][:2] == ["Group 1", "Group 2"]
    assert all(4 <= len(g["members"]) <= 6 for g in prod["groups"])
    assert {c["spec"].get("mark", "layer") for c in prod["charts"]} == {"bar", "layer", "rect"}
    assert all(c["title"] == c["spec"]["title"] for c in prod["charts"])
    assert sum(item["minutes"] for item in prod["agenda"]) == 80 and prod["questions"]
    assert salons["TECH"]["topic"]["skill"] == "code_optimization" and salons["TECH"]["presenters"]


def test_texts_follow_the_locale_argument_then_accept_language_then_the_setting(planner):
    plan(planner, month="2026-11", departments=["PROD"])
    query = 'query($l: String) { salons(month: "2026-11", locale: $l) { title groups { name } } salonFormats { key name } }'

    default = graphql(planner, query)["data"]
    english = planner.post(
        "/graphql", json={"query": query}, headers={"Accept-Language": "en-GB,en;q=0.9"}
    ).json()["data"]
    argument = planner.post(
        "/graphql", json={"query": query, "variables": {"l": "zh-CN"}}, headers={"Accept-Language": "en"}
    ).json()["data"]

    assert default["salons"][0]["title"] == argument["salons"][0]["title"] == "数据复盘工作坊：不良率"
    assert default["salons"][0]["groups"][0]["name"] == "第 1 组"
    assert english["salons"][0]["title"] == "Data-review workshop: Defect rate"
    assert {f["key"]: f["name"] for f in english["salonFormats"]}["skill_sharing"] == "Skill sharing"
    assert {f["key"]: f["name"] for f in default["salonFormats"]}["skill_sharing"] == "技能分享"
    refused = graphql(planner, query, l="xx")
    assert "locale: unsupported locale 'xx'" in refused["errors"][0]["message"]


def test_a_department_sees_what_it_attends_and_what_it_hosts(planner):
    plan(planner, month="2026-11")

    cs = graphql(planner, SALONS, month="2026-11", department="CS")["data"]["salons"]
    unknown = graphql(planner, SALONS, month="2026-11", department="NOPE")

    hosted = [
        sorted(d["code"] for d in s["departments"]) for s in cs if s["hostDepartment"] == {"code": "CS"}
    ]
    assert hosted == [["OPS", "SALES"]]  # one exchange for both
    assert "CS" in {s["departments"][0]["code"] for s in cs} and len(cs) == 2
    assert "departmentCode: unknown department 'NOPE'" in unknown["errors"][0]["message"]


def test_scheduling_and_cancelling_with_clear_refusals(planner):
    plan(planner, month="2026-11", departments=["STORE", "TECH"])
    salons = by_department(graphql(planner, SALONS, month="2026-11")["data"]["salons"])
    store, tech = salons["STORE"]["id"], salons["TECH"]["id"]
    schedule = (
        "mutation($id: ID!, $at: DateTime!) { scheduleSalon(salonId: $id, at: $at) "
        "{ id status scheduledAt scheduleWarnings } }"
    )
    cancel = "mutation($id: ID!, $r: String!) { cancelSalon(salonId: $id, reason: $r) { id status } }"
    day = (datetime.now(UTC) + timedelta(days=30)).date()  # to come; the 2026-11 salon's month is over
    at = f"{day.isoformat()}T14:00:00+08:00"

    past = graphql(planner, schedule, id=store, at="2026-11-20T14:00:00+08:00")
    scheduled = graphql(planner, schedule, id=store, at=at)["data"]["scheduleSalon"]
    cancelled = graphql(planner, cancel, id=tech, r="team offsite")["data"]["cancelSalon"]

    assert past["errors"][0]["message"].startswith("at: 2026-11-20T14:00:00+08:00 is in the past")
    assert scheduled == {
        "id": store,
        "status": "SCHEDULED",
        "scheduledAt": at,  # answered in the offset it was given in
        "scheduleWarnings": [f"scheduled on {day.isoformat()}, outside the salon's month 2026-11"],
    }
    assert cancelled == {"id": tech, "status": "CANCELLED"}
    assert "reason: must not be empty" in graphql(planner, cancel, id=store, r="  ")["errors"][0]["message"]
    again = graphql(planner, schedule, id=tech, at=at)
    assert "is CANCELLED and can no longer be scheduled" in again["errors"][0]["message"]
    assert again["errors"][0]["extensions"]["code"] == "CONFLICT"  # the state, not the input, is in the way
    missing = graphql(planner, cancel, id="999999", r="x")["errors"][0]
    assert "no salon 999999" in missing["message"] and missing["extensions"]["code"] == "NOT_FOUND"
    replanned = plan(planner, month="2026-11")
    assert sorted(replanned["result"]["kept"]) == ["STORE", "TECH"]
    after = by_department(graphql(planner, SALONS, month="2026-11")["data"]["salons"])
    assert after["STORE"]["status"] == "SCHEDULED" and after["TECH"]["status"] == "CANCELLED"
    assert len(after) == 8  # every department, SALES at OPS's exchange


def test_topics_rank_what_a_department_could_work_on(planner):
    query = 'query($d: String!) { topics(departmentCode: $d, month: "2026-11", locale: "en") { kind skill severity title metric { code } } }'

    tech = graphql(planner, query, d="TECH")["data"]["topics"]

    assert tech[0]["kind"] == "growth" and tech[0]["skill"] == "code_optimization"
    assert (
        tech[0]["title"] == "Technology: 30% of the team want to grow Code optimisation"
    )  # labels, not codes
    assert [t["severity"] for t in tech] == sorted((t["severity"] for t in tech), reverse=True)
    assert {"kind": "shortfall", "code": "code_efficiency"} in [
        {"kind": t["kind"], "code": (t["metric"] or {}).get("code")} for t in tech
    ]
    assert "departmentCode: unknown department" in graphql(planner, query, d="NOPE")["errors"][0]["message"]


FITS = """query($d: String!, $locale: String) {
  topics(departmentCode: $d, month: "2026-11", locale: $locale) {
    title severity relevance fits { format { key } score reason plannerScore }
  }
}"""


def test_topics_show_each_formats_fit_reason_and_the_planners_score(planner):
    topics = graphql(planner, FITS, d="TECH", locale="en")["data"]["topics"]

    formats = {f["key"] for f in graphql(planner, "{ salonFormats { key } }")["data"]["salonFormats"]}
    top = topics[0]["severity"]
    for rank, topic in enumerate(topics):
        assert {f["format"]["key"] for f in topic["fits"]} == formats  # every format, for every topic
        assert [f["score"] for f in topic["fits"]] == sorted(
            (f["score"] for f in topic["fits"]), reverse=True
        )
        if rank < 3:  # the planner considers the top three: relevance 0.5 + 0.5 × severity / top
            assert topic["relevance"] == pytest.approx(0.5 + 0.5 * topic["severity"] / top)
            for fit in topic["fits"]:
                assert fit["plannerScore"] == pytest.approx(fit["score"] * topic["relevance"], abs=1e-6)
        else:
            assert topic["relevance"] is None and {f["plannerScore"] for f in topic["fits"]} == {None}
        assert all(f["reason"] for f in topic["fits"])  # the built-in formats always say why
    assert topics[0]["relevance"] == 1.0
    growth = next(f for f in topics[0]["fits"] if f["format"]["key"] == "skill_sharing")
    assert growth["reason"].startswith("30% of the department asked for Code optimisation")
    zh = graphql(planner, FITS, d="TECH", locale="zh-CN")["data"]["topics"][0]["fits"]
    assert next(f for f in zh if f["format"]["key"] == "skill_sharing")["reason"].startswith(
        "30% 的同事希望提升"
    )

    # the planner builds the best pair, and its salon keeps the fits it chose by
    plan(planner, month="2026-11", departments=["TECH"])
    query = '{ salons(month: "2026-11", departmentCode: "TECH", locale: "en") { format { key } topic { title fits { format { key } score reason plannerScore } } } }'
    (salon,) = graphql(planner, query)["data"]["salons"]
    best = max(
        (
            (fit["plannerScore"], topic["title"], fit["format"]["key"])
            for topic in topics[:3]
            for fit in topic["fits"]
        ),
        key=lambda pair: pair[0],
    )
    assert (salon["topic"]["title"], salon["format"]["key"]) == best[1:]
    chosen = next(topic for topic in topics if topic["title"] == best[1])
    assert salon["topic"]["fits"] == chosen["fits"]


def test_plan_month_refuses_unknown_formats_departments_and_quarters(planner):
    formats = graphql(planner, PLAN, month="2026-11", formats=["karaoke"])
    departments = graphql(planner, PLAN, month="2026-11", departments=["NOPE"])
    quarter = graphql(planner, PLAN, month="2026-Q4")

    assert "formats: unknown format key(s) ['karaoke']" in formats["errors"][0]["message"]
    assert "departmentCodes: unknown department(s) ['NOPE']" in departments["errors"][0]["message"]
    assert "month: planning needs a month" in quarter["errors"][0]["message"]


def test_a_third_party_format_is_listed_and_can_be_chosen(
    make_client, demo_database_url, demo_engine, tmp_path, monkeypatch
):
    plugin_dists.install(tmp_path, monkeypatch, "salon-retro", "salon_retro", plugin_dists.RETRO, "retro")
    rebuild(demo_engine)
    client = make_client(demo_database_url, demo_engine)

    listed = graphql(client, '{ salonFormats(locale: "en") { key name description } }')["data"][
        "salonFormats"
    ]
    plan(client, month="2026-11", departments=["STORE"], formats=["retro_circle", "data_review_workshop"])
    (salon,) = graphql(client, SALONS, month="2026-11", locale="zh-CN")["data"]["salons"]

    assert {
        "key": "retro_circle",
        "name": "Retro circle",
        "description": "Everyone says what went well and what did not.",
    } in listed
    assert salon["format"] == {
        "key": "retro_circle",
        "name": "复盘圈",
        "description": "Everyone says what went well and what did not.",
    }
    assert salon["title"] == "复盘圈：客单价"


def test_listing_salons_is_batched_not_queried_per_salon(planner, demo_engine):
    from tests.support.statements import counted

    plan(planner, month="2026-11")
    with counted(demo_engine) as statements:
        result = graphql(planner, SALONS, month="2026-11")

    assert len(result["data"]["salons"]) == 7  # OPS and SALES share one exchange
    assert sum(len(s["participants"]) for s in result["data"]["salons"]) > 300
    # salons, their departments, then one batch each: departments, employees (in scope), the salons'
    # people (names and chart ids), metrics; and the audit trail's one insert
    assert len(statements) <= 7, statements


def test_the_server_refuses_to_start_with_a_duplicate_format_key(database_url, engine, tmp_path, monkeypatch):
    from api.app import create_app
    from domain.settings import load_settings
    from plugins.registry import DuplicateFormatKey

    clash = plugin_dists.RETRO.replace('key = "retro_circle"', 'key = "data_review_workshop"')
    plugin_dists.install(tmp_path, monkeypatch, "salon-clash", "salon_clash", clash, "clash")

    with pytest.raises(DuplicateFormatKey, match="plugin 'clash'"):
        create_app(load_settings({"SALON_DATABASE_URL": database_url}), engine)


def test_salon_serve_and_worker_refuse_a_duplicate_format_key(tmp_path, monkeypatch):
    from tests.support.processes import run_salon, salon_env

    clash = plugin_dists.RETRO.replace('key = "retro_circle"', 'key = "skill_sharing"')
    plugin_dists.install(tmp_path / "site", monkeypatch, "salon-clash", "salon_clash", clash, "clash")
    env = salon_env(
        PYTHONPATH=str(tmp_path / "site"), SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'salon.db'}"
    )

    served = run_salon("serve", "--port", "1", env=env)
    worked = run_salon("worker", env={**env, "SALON_BROKER_URL": "redis://127.0.0.1:1/0"})

    for result in (served, worked):
        assert result.returncode != 0
        assert "'skill_sharing' is registered by both" in result.stderr and "plugin 'clash'" in result.stderr


def _salon_ids(client, **variables) -> dict[str, str]:
    salons = graphql(client, SALONS, month="2026-11", **variables)["data"]["salons"]
    return {s["id"]: "+".join(sorted(d["code"] for d in s["departments"])) for s in salons}


def _first_employee(client, code: str) -> str:
    query = "query($code: String!) { department(code: $code) { employees { employeeId } } }"
    return graphql(client, query, code=code)["data"]["department"]["employees"][0]["employeeId"]


def test_salons_are_seen_and_changed_within_the_viewers_scope(planner):
    plan(planner, month="2026-11")
    everything = _salon_ids(planner)
    by_code = {code: salon_id for salon_id, code in everything.items()}
    sales_manager = act_as(planner, "manager", _first_employee(planner, "SALES"), "SALES")
    tech_employee = act_as(planner, "employee", _first_employee(planner, "TECH"))

    assert set(_salon_ids(sales_manager).values()) == {
        "SALES"
    }  # the shared exchange, as far as its scope goes
    assert set(_salon_ids(sales_manager)) == {by_code["OPS+SALES"]}
    assert set(_salon_ids(tech_employee).values()) == {"TECH"}
    out_of_scope = graphql(sales_manager, SALONS, month="2026-11", department="STORE")
    assert out_of_scope["errors"][0]["message"] == "no department 'STORE' in your scope"
    store_topics = graphql(sales_manager, TOPICS, department="STORE", month="2026-11")
    assert store_topics["errors"][0]["message"] == "no department 'STORE' in your scope"

    refused = graphql(tech_employee, PLAN, month="2026-11")
    assert "planning salons is for hr_admin only" in refused["errors"][0]["message"]
    cancel = 'mutation($id: ID!) { cancelSalon(salonId: $id, reason: "r") { id status } }'
    outside = graphql(sales_manager, cancel, id=by_code["STORE"])
    assert "no salon" in outside["errors"][0]["message"]
    assert graphql(tech_employee, cancel, id=by_code["TECH"])["errors"]
    inside = graphql(sales_manager, cancel, id=by_code["OPS+SALES"])["data"]["cancelSalon"]
    assert inside["status"] == "CANCELLED"
    assert _salon_ids(planner) == everything  # nothing else changed hands


def test_salon_changed_sends_the_changes_a_viewer_may_see(planner, monkeypatch):
    from api import subscriptions
    from api.tokens import mint

    monkeypatch.setattr(subscriptions, "POLL_SECONDS", 0.05)
    plan(planner, month="2026-11")
    by_code = {code: salon_id for salon_id, code in _salon_ids(planner).items()}
    manager = mint(planner.app.state.settings, "manager", _first_employee(planner, "SALES"), "SALES")
    cancel = 'mutation($id: ID!) { cancelSalon(salonId: $id, reason: "moved") { id status } }'
    changed = 'subscription { salonChanged(month: "2026-11") { id status departments { code } } }'

    with planner.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as socket:
        socket.send_json({"type": "connection_init", "payload": {"token": manager}})
        assert socket.receive_json()["type"] == "connection_ack"
        socket.send_json({"id": "s", "type": "subscribe", "payload": {"query": changed}})
        time.sleep(0.5)  # the subscription has read the month as it was
        graphql(planner, cancel, id=by_code["TECH"])  # not the manager's: never sent
        time.sleep(0.3)
        graphql(planner, cancel, id=by_code["OPS+SALES"])  # the exchange SALES attends with OPS
        message = socket.receive_json()

    assert message["type"] == "next", message
    changed = message["payload"]["data"]["salonChanged"]
    assert (changed["id"], changed["status"]) == (by_code["OPS+SALES"], "CANCELLED")
    assert [d["code"] for d in changed["departments"]] == ["SALES"]  # OPS is not the manager's to see
