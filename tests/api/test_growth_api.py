"""The growth area through GraphQL: contributions, ratings, the appraisal bonus, a person's
standing and the programme's numbers — each with its role scope and its audit entries.

The company is ``tests.api.org``'s: H1 (HQ), P1 (PROD, manager of P2), P2 (PROD), A1 (PROD-A,
below PROD), C1 (CS); the metric defect_rate (lower is better) with PROD's 2026-10 gap 0.05
against a target of 0.03.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from domain.db import session_scope
from domain.growth.contributions import record_attendance_contributions
from domain.growth.points import Scorer
from domain.growth.policy import PointsPolicy
from domain.jobs import PROGRAMME_METRICS
from domain.models import Department, Employee, Job, Metric, Observation
from tests.api import org
from tests.api.conftest import act_as, graphql
from tests.support.growth import make_salon
from tests.support.jobs import wait_for_job
from tests.support.statements import counted

RECORD = """mutation($input: ContributionInput!) { recordContribution(input: $input) {
  id date kind contribution points note salon { id month status } } }"""
RATE = "mutation($s: ID!, $score: Int!, $c: String) { rateSalon(salonId: $s, score: $score, comment: $c) { id status } }"
BONUS = "query($id: String!, $c: String!) { employee(id: $id) { appraisalBonus(cycle: $c) } }"
METRICS = """query($id: String!, $p: Period!) { employee(id: $id) { metrics(period: $p) {
  metric { code } period value departmentValue departmentAverage rankInDepartment target } } }"""
PROGRAM = """query($p: Period!) { programMetrics(period: $p) {
  period attainmentRate growthArchiveUpdateRate satisfaction ratings salonsHeld participationRate plansOnTrack } }"""
TREND = "query($f: Period!, $t: Period!) { programTrend(from: $f, to: $t) { period salonsHeld } }"
GROWTH = (
    """query($id: String!) { employee(id: $id) { growth { kind contribution points salon { month } } } }"""
)


def trail(client, last: int = 100) -> list[tuple[str, str, str | None]]:
    entries = graphql(client, "query ($l: Int) { auditLog(last: $l) { actor action target } }", l=last)
    return [(e["actor"], e["action"], e["target"]) for e in entries["data"]["auditLog"]]


def noted(client, actor: str, action: str, target: str | None) -> bool:
    """An audit entry of ``actor`` names ``action`` (among its actions) on ``target``."""
    return any(a == actor and action in acts.split(", ") and t == target for a, acts, t in trail(client))


def error(result: dict) -> str:
    return result["errors"][0]["message"]


def contribution(salon: int, employee: str, kind: str, note: str | None = None) -> dict:
    return {"input": {"salonId": str(salon), "employeeId": employee, "kind": kind, "note": note}}


def wait_for_programme(engine) -> None:
    with Session(engine) as session:
        ids = session.exec(select(Job.id).where(Job.actor == PROGRAMME_METRICS)).all()
    for job_id in ids:
        assert wait_for_job(engine, job_id).status == "SUCCEEDED"


@pytest.fixture
def held(company, engine) -> int:
    """PROD's October salon, held: P1 presents, P2 and A1 take part; P1 and P2 came."""
    salon = make_salon(
        engine,
        month="2026-10",
        department="PROD",
        presenters=("P1",),
        participants=("P2", "A1"),
        attendees=("P1", "P2"),
    )
    with session_scope(engine) as session:
        record_attendance_contributions(session, salon, Scorer(PointsPolicy()))
    return salon


# --- recordContribution -------------------------------------------------------------------------


def test_hr_records_a_contribution_and_reads_it_back_in_the_growth_archive(company, engine, held):
    found = graphql(company, RECORD, **contribution(held, "P2", "EXCELLENT_SHARER", "explained the new jig"))

    record = found["data"]["recordContribution"]
    assert record["id"].isdigit()
    assert {k: v for k, v in record.items() if k != "id"} == {
        "date": "2026-10-01",  # held without a schedule: the first of its month
        "kind": "salon_contribution",
        "contribution": "EXCELLENT_SHARER",
        "points": 2.0,
        "note": "explained the new jig",
        "salon": {"id": f"Salon:{held}", "month": "2026-10", "status": "HELD"},
    }
    growth = graphql(company, GROWTH, id="P2")["data"]["employee"]["growth"]
    assert [g for g in growth if g["contribution"]] == [
        {
            "kind": "salon_contribution",
            "contribution": "ATTENDEE",
            "points": 0.0,
            "salon": {"month": "2026-10"},
        },
        {
            "kind": "salon_contribution",
            "contribution": "EXCELLENT_SHARER",
            "points": 2.0,
            "salon": {"month": "2026-10"},
        },
    ]
    assert noted(company, "hr_admin:hr-admin", "mutation:recordContribution", "employee:P2")


def test_who_may_record_contributions(company, engine, held):
    cs_salon = make_salon(engine, month="2026-10", department="CS", attendees=("C1",))
    manager = act_as(company, "manager", "P1", "PROD")

    own = graphql(manager, RECORD, **contribution(held, "P2", "SHARER"))
    other = graphql(manager, RECORD, **contribution(cs_salon, "C1", "SHARER"))
    employee = graphql(act_as(company, "employee", "P2"), RECORD, **contribution(held, "P2", "SHARER"))
    service = graphql(act_as(company, "service", "bi"), RECORD, **contribution(held, "P2", "SHARER"))

    assert own["data"]["recordContribution"]["points"] == 1.0
    assert error(other) == f"salonId: no salon {cs_salon} that your departments attend"
    assert (
        error(employee)
        == error(service).replace("service", "employee")
        == ("recording contributions is for hr_admin or manager only")
    )
    assert noted(company, "employee:P2", "mutation:recordContribution:refused", None)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (contribution(999, "P2", "SHARER"), "salonId: no salon 999"),
        (contribution(0, "P2", "SHARER"), "salonId: not a salon id: '0'"),
        (contribution(1, "C1", "SHARER"), "employeeId: C1 is not one of salon 1's people"),
        (contribution(1, "A1", "ATTENDEE"), "employeeId: A1 is not among salon 1's attendees"),
        (contribution(1, "P2", "SHARER", "x" * 2001), "note: at most 2000 characters"),
    ],
)
def test_bad_contributions_are_refused_naming_the_argument(company, held, variables, message):
    assert held == 1
    assert error(graphql(company, RECORD, **variables)).startswith(message)


# --- rateSalon ----------------------------------------------------------------------------------


def test_an_attendee_rates_a_salon_and_nobody_reads_their_score_back(company, engine, held):
    rated = graphql(act_as(company, "employee", "P2"), RATE, s=str(held), score=4, c="good pace")
    changed = graphql(act_as(company, "employee", "P2"), RATE, s=str(held), score=5)
    absent = graphql(act_as(company, "employee", "A1"), RATE, s=str(held), score=1)  # invited, did not come
    admin = graphql(company, RATE, s=str(held), score=5)  # an HR admin's token is no attendee
    bad = graphql(act_as(company, "employee", "P2"), RATE, s=str(held), score=6)
    wait_for_programme(engine)

    assert (
        rated["data"]["rateSalon"]
        == changed["data"]["rateSalon"]
        == {"id": f"Salon:{held}", "status": "HELD"}
    )
    assert (
        error(absent)
        == error(admin)
        == (f"salonId: only the people who attended salon {held} rate it, and you are not among them")
    )
    assert error(bad) == "score: must be a whole number from 1 to 5, got 6"
    october = graphql(company, PROGRAM, p="2026-10")["data"]["programMetrics"]
    assert (october["ratings"], october["satisfaction"]) == (1, None)  # one person's 5: not shown
    types = graphql(company, "{ __schema { types { name fields { name } } } }")["data"]["__schema"]["types"]
    assert not [t["name"] for t in types if "rating" in t["name"].lower()]  # no type holds a rating
    salon_fields = next(t for t in types if t["name"] == "Salon")["fields"]
    assert not [f["name"] for f in salon_fields if "rat" in f["name"].lower() or "score" in f["name"].lower()]
    assert noted(company, "employee:P2", "mutation:rateSalon", f"salon:{held}")


def test_a_persons_own_export_holds_their_rating_and_erasure_removes_its_comment(company, engine, held):
    graphql(act_as(company, "employee", "P2"), RATE, s=str(held), score=4, c="good pace")
    export = "query ($id: String!) { exportPersonalData(employeeId: $id) }"

    own = graphql(act_as(company, "employee", "P2"), export, id="P2")["data"]["exportPersonalData"]
    graphql(company, 'mutation { erasePersonalData(employeeId: "P2") { employeeId } }')
    erased = graphql(company, export, id="P2")["data"]["exportPersonalData"]

    assert [(r["salon"], r["score"], r["comment"]) for r in own["salonRatings"]] == [(held, 4, "good pace")]
    assert [(r["salon"], r["score"], r["comment"]) for r in erased["salonRatings"]] == [(held, 4, None)]
    assert {(g["contribution"], g["points"], g["salon"]) for g in own["growth"] if g["contribution"]} == {
        ("attendee", 0.0, held)
    }


# --- appraisalBonus -----------------------------------------------------------------------------


def test_the_appraisal_bonus_by_cycle_and_who_may_read_it(company, engine, held):
    for kind in ("EXCELLENT_SHARER", "PROBLEM_SOLVER"):
        graphql(company, RECORD, **contribution(held, "P2", kind))
    december = make_salon(engine, month="2026-12", department="PROD", attendees=("P2",))
    graphql(company, RECORD, **contribution(december, "P2", "SHARER"))

    def bonus(client, cycle, who="P2"):
        return graphql(client, BONUS, id=who, c=cycle)

    assert [
        bonus(company, c)["data"]["employee"]["appraisalBonus"]
        for c in ("2026-10", "2026-12", "2026-Q4", "2026-H2", "2026", "2026-H1")
    ] == [
        5.0,  # 2 + 3
        1.0,
        5.0,  # 6, capped
        5.0,
        5.0,
        0.0,
    ]
    assert bonus(act_as(company, "employee", "P2"), "2026-Q4")["data"]["employee"]["appraisalBonus"] == 5.0
    assert (
        bonus(act_as(company, "manager", "P1", "PROD"), "2026-10")["data"]["employee"]["appraisalBonus"]
        == 5.0
    )
    colleague = bonus(act_as(company, "employee", "C1"), "2026-10")
    assert error(colleague) == "no employee 'P2' in your scope"
    assert error(bonus(company, "2026-H3")).startswith("cycle: invalid period '2026-H3'")
    assert noted(company, "hr_admin:hr-admin", "read:Employee.appraisalBonus", "employee:P2")


def test_many_peoples_bonus_is_read_in_one_query_per_cycle(company, engine, held):
    graphql(company, RECORD, **contribution(held, "P1", "SHARER"))
    query = '{ department(code: "PROD") { employees { employeeId appraisalBonus(cycle: "2026") } } }'

    with counted(engine) as statements:
        found = graphql(company, query)["data"]["department"]["employees"]

    assert {e["employeeId"]: e["appraisalBonus"] for e in found} == {"P1": 1.0, "P2": 0.0}
    assert sum("from growthrecord" in statement.lower() for statement in statements) == 1


# --- Employee.metrics ---------------------------------------------------------------------------


@pytest.fixture
def observed(company, engine):
    """Defect rate (lower is better): P1 0.02 in October and 0.04 in November, P2 0.06 in October."""
    with session_scope(engine) as session:
        metric = session.exec(select(Metric.id).where(Metric.code == "defect_rate")).one()
        prod = session.exec(select(Department.id).where(Department.code == "PROD")).one()
        people = dict(session.exec(select(Employee.employee_id, Employee.id)).all())
        for who, period, value in (("P1", "2026-10", 0.02), ("P1", "2026-11", 0.04), ("P2", "2026-10", 0.06)):
            session.add(
                Observation(
                    metric_id=metric, period=period, department_id=prod, employee_id=people[who], value=value
                )
            )
    return company


def test_a_persons_standing_against_a_hand_computation(observed):
    hr = graphql(observed, METRICS, id="P2", p="2026-10")["data"]["employee"]["metrics"]
    quarter = graphql(observed, METRICS, id="P1", p="2026-Q4")["data"]["employee"]["metrics"]

    assert hr == [
        {
            "metric": {"code": "defect_rate"},
            "period": "2026-10",
            "value": 0.06,
            "departmentValue": 0.05,  # PROD's gap
            "departmentAverage": pytest.approx(0.04),  # (0.02 + 0.06) / 2
            "rankInDepartment": 2,  # the higher defect rate of two
            "target": 0.03,
        }
    ]
    assert quarter == [
        {
            "metric": {"code": "defect_rate"},
            "period": "2026-Q4",
            "value": pytest.approx(0.03),  # P1's months 0.02 and 0.04, by the metric's mean
            "departmentValue": None,  # no quarter gap stored
            "departmentAverage": pytest.approx(0.045),  # (0.03 + 0.06) / 2
            "rankInDepartment": 1,
            "target": None,
        }
    ]


def test_a_persons_standing_is_theirs_their_managers_and_hrs(observed):
    own = graphql(act_as(observed, "employee", "P2"), METRICS, id="P2", p="2026-10")["data"]["employee"][
        "metrics"
    ]
    manager = graphql(act_as(observed, "manager", "P1", "PROD"), METRICS, id="P2", p="2026-10")
    colleague = graphql(act_as(observed, "employee", "P1"), METRICS, id="P2", p="2026-10")
    service = graphql(act_as(observed, "service", "bi"), METRICS, id="P2", p="2026-10")

    assert (own[0]["value"], own[0]["rankInDepartment"]) == (0.06, 2)
    assert own[0]["departmentAverage"] is None  # two people: with their own 0.06, it would tell P1's
    assert manager["data"]["employee"]["metrics"][0]["departmentAverage"] == pytest.approx(0.04)
    assert error(colleague) == "no employee 'P2' in your scope"
    assert error(service) == "no employee 'P2' in your scope"
    assert noted(observed, "employee:P2", "read:Employee.metrics", "employee:P2")


def test_a_standing_is_asked_for_a_month_or_a_quarter(observed):
    found = graphql(observed, METRICS, id="P2", p="2026-H2")

    assert error(found).startswith("period: 2026-H2 is a half: KPIs have months and quarters")


# --- programMetrics and programTrend ------------------------------------------------------------


def test_the_programmes_numbers_after_a_salon_and_who_may_read_them(company, engine, held):
    graphql(company, RECORD, **contribution(held, "P1", "SHARER"))
    wait_for_programme(engine)

    october = graphql(company, PROGRAM, p="2026-10")["data"]["programMetrics"]
    year = graphql(company, PROGRAM, p="2026")["data"]["programMetrics"]
    organisation_wide = graphql(act_as(company, "service", "bi"), PROGRAM, p="2026-10")

    assert october == {
        "period": "2026-10",
        "attainmentRate": pytest.approx(1 / 3),  # CS met its target; PROD and PROD-A did not
        "growthArchiveUpdateRate": pytest.approx(2 / 5),  # P1 and P2 of five
        "satisfaction": None,
        "ratings": 0,
        "salonsHeld": 1,
        "participationRate": pytest.approx(2 / 3),  # 2 of 3 invited
        "plansOnTrack": None,
    }
    assert year["growthArchiveUpdateRate"] == 1.0  # everyone's March training
    assert organisation_wide["data"]["programMetrics"] == october
    for viewer in (
        act_as(company, "manager", "P1", "PROD"),
        act_as(company, "employee", "P2"),
        act_as(company, "service", "bi", "PROD"),
    ):
        assert error(graphql(viewer, PROGRAM, p="2026-10")) == (
            "programMetrics covers the whole organisation: for HR and organisation-wide services"
        )


def test_a_period_without_anything_reads_as_zeros_and_nulls(company):
    found = graphql(company, PROGRAM, p="2019")["data"]["programMetrics"]

    assert found == {
        "period": "2019",
        "attainmentRate": None,
        "growthArchiveUpdateRate": 0.0,
        "satisfaction": None,
        "ratings": 0,
        "salonsHeld": 0,
        "participationRate": None,
        "plansOnTrack": None,
    }


def test_a_trend_keeps_one_grain_in_order(company, engine, held):
    graphql(company, RECORD, **contribution(held, "P1", "SHARER"))
    wait_for_programme(engine)

    months = graphql(company, TREND, f="2026-09", t="2026-11")["data"]["programTrend"]
    halves = graphql(company, TREND, f="2026-H1", t="2027-H1")["data"]["programTrend"]

    assert months == [
        {"period": "2026-09", "salonsHeld": 0},
        {"period": "2026-10", "salonsHeld": 1},
        {"period": "2026-11", "salonsHeld": 0},
    ]
    assert [h["period"] for h in halves] == ["2026-H1", "2026-H2", "2027-H1"]
    assert error(graphql(company, TREND, f="2026-10", t="2026-Q4")) == (
        "to: 2026-Q4 is a quarter and 2026-10 a month: a trend keeps one grain"
    )
    assert error(graphql(company, TREND, f="2026-10", t="2026-09")) == "to: 2026-09 is before 2026-10"
    assert error(graphql(company, TREND, f="2010-01", t="2026-12")) == "to: at most 120 periods in one trend"


def test_kpi_fields_refuse_a_half_or_a_year(company):
    gaps = graphql(company, '{ department(code: "PROD") { gaps(period: "2026") { actual } } }')
    standing = graphql(company, '{ crossDepartment(metricCode: "defect_rate", period: "2026-H2") { rank } }')

    assert error(gaps).startswith("period: 2026 is a year: KPIs have months and quarters")
    assert error(standing).startswith("period: 2026-H2 is a half")


# --- the points: a company's policy file, an installed plugin ---------------------------------

BONUS_PLUGIN = """
from plugins import hookimpl


@hookimpl
def contribution_points(contribution, points):
    if contribution.kind == "problem_solver" and contribution.department_code == "PROD":
        return 4.5  # this company's production floor counts a solved problem for more
    return None
"""


def test_a_policy_file_and_an_installed_plugin_decide_the_points(
    make_client, database_url, engine, tmp_path, monkeypatch
):
    from tests.support import plugin_dists

    org.build(engine)
    policy = tmp_path / "points.toml"
    policy.write_text("cap = 6\n\n[points]\nsharer = 1.5\n", encoding="utf-8")
    plugin_dists.install(tmp_path / "dist", monkeypatch, "salon-bonus", "salon_bonus", BONUS_PLUGIN, "bonus")
    client = make_client(database_url, engine, SALON_CONTRIBUTION_POLICY=str(policy))
    salon = make_salon(engine, month="2026-10", department="PROD", attendees=("P1", "P2"))

    shared = graphql(client, RECORD, **contribution(salon, "P2", "SHARER"))
    solved = graphql(client, RECORD, **contribution(salon, "P2", "PROBLEM_SOLVER"))
    bonus = graphql(client, BONUS, id="P2", c="2026-10")

    assert shared["data"]["recordContribution"]["points"] == 1.5  # the company's policy
    assert solved["data"]["recordContribution"]["points"] == 4.5  # the plugin's
    assert bonus["data"]["employee"]["appraisalBonus"] == 6.0  # 1.5 + 4.5, at the policy's cap of 6
