"""The gap engine through the API: recompute, then read gaps and cross-department standings."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import Session, select

from domain.models import Department, Employee, JobStatus
from tests.api.conftest import graphql
from tests.support.jobs import wait_for_job

GAPS = """query ($code: String!, $period: Period!) {
  department(code: $code) { gaps(period: $period) {
    metric { code direction } period actual previous target change attainment belowTarget worsening severity } } }"""
STANDINGS = """query ($metric: String!, $period: Period!) {
  crossDepartment(metricCode: $metric, period: $period) { department { code } value change rank } }"""


@pytest.fixture
def recomputed(demo_client, demo_engine):
    job = graphql(demo_client, "mutation { recompute { id status kind } }")["data"]["recompute"]
    assert job["kind"] == "recompute"
    assert wait_for_job(demo_engine, job["id"], timeout=120).status == JobStatus.SUCCEEDED
    return demo_client


def test_store_gaps_in_q3_show_the_average_order_value_drop(recomputed):
    gaps = graphql(recomputed, GAPS, code="STORE", period="2026-Q3")["data"]["department"]["gaps"]

    aov = next(g for g in gaps if g["metric"]["code"] == "avg_order_value")
    assert aov["period"] == "2026-Q3"
    assert aov["change"] == pytest.approx(-0.12, abs=0.02) and aov["worsening"]
    assert [g["severity"] for g in gaps] == sorted((g["severity"] for g in gaps), reverse=True)


def test_customer_service_ranks_first_on_complaints(recomputed):
    standings = graphql(recomputed, STANDINGS, metric="complaint_rate", period="2026-10")["data"][
        "crossDepartment"
    ]

    assert [s["department"]["code"] for s in standings] == ["CS", "SALES", "OPS"]
    assert [s["rank"] for s in standings] == [1, 2, 3]


def test_recompute_for_some_periods_and_a_bad_period_is_refused_with_the_reason(recomputed, demo_engine):
    job = graphql(recomputed, 'mutation { recompute(periods: ["2026-Q3"]) { id } }')["data"]["recompute"]
    assert wait_for_job(demo_engine, job["id"], timeout=120).status == JobStatus.SUCCEEDED

    refused = graphql(recomputed, GAPS, code="STORE", period="2026-13")

    assert "expected YYYY-MM" in refused["errors"][0]["message"]


DETAILS = """query ($code: String!, $period: Period!, $metric: String!) {
  department(code: $code) {
    gaps(period: $period) { metric { code } drivers { dimension segment share } feedback { theme count } }
    growthNeeds(period: $period) { skill share relatedMetric { code } metricAverage }
    topPerformers(metricCode: $metric, period: $period) { employeeId name value }
  } }"""


def test_production_defects_are_driven_by_new_hires_and_feedback_says_onboarding(recomputed):
    data = graphql(recomputed, DETAILS, code="PROD", period="2026-10", metric="defect_rate")["data"][
        "department"
    ]

    defects = next(g for g in data["gaps"] if g["metric"]["code"] == "defect_rate")
    tenure = {d["segment"]: d["share"] for d in defects["drivers"] if d["dimension"] == "tenure"}
    assert tenure["new_hire"] == pytest.approx(0.6, abs=0.05)
    assert sum(tenure.values()) == pytest.approx(1.0)
    assert defects["feedback"][0]["theme"] in ("onboarding", "training")
    assert {d["dimension"] for d in defects["drivers"]} == {"tenure", "team", "employee"}


def test_tech_wants_code_optimisation_and_its_top_tenth_can_teach(recomputed):
    data = graphql(recomputed, DETAILS, code="TECH", period="2026-10", metric="code_efficiency")["data"][
        "department"
    ]

    need = next(n for n in data["growthNeeds"] if n["skill"] == "code_optimization")
    assert need["share"] == pytest.approx(0.3, abs=0.05)
    assert need["relatedMetric"] == {"code": "code_efficiency"}
    assert need["metricAverage"] == pytest.approx(75, abs=2)
    performers = data["topPerformers"]
    assert len(performers) == 5
    assert [p["value"] for p in performers] == sorted((p["value"] for p in performers), reverse=True)


JOB = """query ($id: ID!) { job(id: $id) { status partsTotal partsDone progress parentId result } }"""


def test_a_recompute_job_shows_its_parts_and_progress(recomputed, demo_engine):
    from domain import jobs

    job_id = graphql(recomputed, "mutation { recompute { id partsTotal progress } }")["data"]["recompute"][
        "id"
    ]
    assert wait_for_job(demo_engine, job_id, timeout=120).status == JobStatus.SUCCEEDED

    job = graphql(recomputed, JOB, id=job_id)["data"]["job"]
    part = graphql(recomputed, JOB, id=jobs.parts(demo_engine, job_id)[0].id)["data"]["job"]

    assert (job["partsTotal"], job["partsDone"], job["progress"]) == (10, 10, 1.0)
    assert job["parentId"] is None and job["result"]["parts"] == 10
    assert (part["parentId"], part["partsTotal"], part["status"]) == (job_id, 0, "SUCCEEDED")


def test_each_driver_says_its_share_of_the_people_and_how_over_represented_it_is(recomputed):
    query = """query { department(code: "PROD") { gaps(period: "2026-10") {
      metric { code } drivers { dimension segment share peopleShare overRepresentation } } } }"""
    gaps = graphql(recomputed, query)["data"]["department"]["gaps"]

    drivers = next(g for g in gaps if g["metric"]["code"] == "defect_rate")["drivers"]
    tenure = {d["segment"]: d for d in drivers if d["dimension"] == "tenure"}
    assert sum(d["peopleShare"] for d in tenure.values()) == pytest.approx(1.0)
    for d in drivers:
        assert d["overRepresentation"] == pytest.approx(d["share"] / d["peopleShare"])
    new = tenure["new_hire"]
    assert new["peopleShare"] < new["share"] and new["overRepresentation"] > 1.25  # the demo's planted story
    assert tenure["experienced"]["overRepresentation"] < 1


def test_a_sum_metric_is_ranked_per_head(recomputed, demo_engine):
    query = """query { crossDepartment(metricCode: "training_hours", period: "2026-10") {
      department { code } value perHead rank } }"""
    standings = graphql(recomputed, query)["data"]["crossDepartment"]

    with Session(demo_engine) as session:
        codes = {d.id: d.code for d in session.exec(select(Department))}
        people = Counter(codes[e.department_id] for e in session.exec(select(Employee)))
    expected = sorted(
        ((s["value"] / people[s["department"]["code"]], s["department"]["code"]) for s in standings),
        key=lambda pair: -pair[0],  # more training per head is better
    )
    assert [s["department"]["code"] for s in standings] == [code for _, code in expected]
    for s in standings:
        assert s["perHead"] == pytest.approx(s["value"] / people[s["department"]["code"]])
    assert [s["rank"] for s in standings] == list(range(1, len(standings) + 1))
