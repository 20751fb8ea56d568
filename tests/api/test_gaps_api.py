"""The gap engine through the API: recompute, then read gaps and cross-department standings."""

from __future__ import annotations

import pytest

from domain.models import JobStatus
from tests.api.conftest import graphql
from tests.workers.conftest import wait_for_job

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
