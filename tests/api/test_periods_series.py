"""Honest periods and time series through the API, on the demo company (data 2025-01 … 2026-10)."""

from __future__ import annotations

import pytest

from tests.api.conftest import act_as, graphql
from tests.api.test_gaps_api import recomputed  # noqa: F401  (fixture)

GAPS = """query ($period: Period!) { department(code: "STORE") { gaps(period: $period) {
  metric { code aggregation } actual previous change target attainment monthsCovered complete } } }"""
SERIES = """query ($metric: String!, $from: Period!, $to: Period!) { department(code: "STORE") {
  series(metricCode: $metric, from: $from, to: $to) { period value target attainment } } }"""


def test_latest_periods_tell_a_client_what_to_ask_for(demo_client):
    data = graphql(demo_client, "{ latestPeriod latestCompletePeriod }")["data"]
    assert data == {"latestPeriod": "2026-10", "latestCompletePeriod": "2026-Q3"}


def test_a_quarter_with_only_october_says_so_and_compares_no_sum(recomputed):  # noqa: F811
    q4 = graphql(recomputed, GAPS, period="2026-Q4")["data"]["department"]["gaps"]
    assert q4 and all((g["monthsCovered"], g["complete"]) == (1, False) for g in q4)
    sums = [g for g in q4 if g["metric"]["aggregation"] == "SUM"]
    assert sums and all(
        g["previous"] is None and g["change"] is None and g["attainment"] is None for g in sums
    )
    q3 = graphql(recomputed, GAPS, period="2026-Q3")["data"]["department"]["gaps"]
    assert all((g["monthsCovered"], g["complete"]) == (3, True) for g in q3)


def test_a_series_is_the_gaps_of_each_period_with_a_null_where_there_is_no_data(recomputed):  # noqa: F811
    points = graphql(recomputed, SERIES, metric="avg_order_value", **{"from": "2026-08", "to": "2026-12"})
    points = points["data"]["department"]["series"]
    assert [p["period"] for p in points] == ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
    gaps = {
        p: next(
            g
            for g in graphql(recomputed, GAPS, period=p)["data"]["department"]["gaps"]
            if g["metric"]["code"] == "avg_order_value"
        )
        for p in ("2026-08", "2026-09", "2026-10")
    }
    for point in points[:3]:
        gap = gaps[point["period"]]
        assert (point["value"], point["target"], point["attainment"]) == (
            gap["actual"],
            gap["target"],
            gap["attainment"],
        )
    assert points[3] == {"period": "2026-11", "value": None, "target": None, "attainment": None}


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [("2026-01", "2026-Q2", "to"), ("2026-05", "2026-01", "to"), ("2000-01", "2026-01", "to")],
)
def test_a_bad_range_is_refused_naming_the_argument(recomputed, start, end, field):  # noqa: F811
    errors = graphql(recomputed, SERIES, metric="avg_order_value", **{"from": start, "to": end})["errors"]
    assert errors[0]["message"].startswith(f"{field}:")


def test_an_unknown_metric_is_an_error_not_an_empty_series(recomputed):  # noqa: F811
    errors = graphql(recomputed, SERIES, metric="nope", **{"from": "2026-01", "to": "2026-02"})["errors"]
    assert errors[0]["message"] == "metricCode: unknown metric 'nope'"


def test_a_department_out_of_scope_has_no_series(recomputed):  # noqa: F811
    prod = graphql(recomputed, '{ department(code: "PROD") { employees { employeeId } } }')["data"]
    outsider = act_as(recomputed, "employee", prod["department"]["employees"][0]["employeeId"])
    data = graphql(outsider, SERIES, metric="avg_order_value", **{"from": "2026-01", "to": "2026-02"})["data"]
    assert data["department"] is None
