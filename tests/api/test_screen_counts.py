"""The four screens as a front end now builds them — global ids, pages, series, honest periods,
links — run as many SQL statements for a small company as for a larger one (see
``test_query_counts``, whose fixtures and sizes these share)."""

from __future__ import annotations

from tests.api import sized_company
from tests.api.conftest import act_as
from tests.api.test_query_counts import MORE, SMALL, audit_inserts, company, run  # noqa: F401  (fixture)

OVERVIEW = """query ($period: Period!) { latestPeriod latestCompletePeriod
  departments { id code
    gaps(period: $period, first: 3) { id severity monthsCovered complete metric { id code }
      drivers(first: 3) { driverDimension share } feedback(first: 3) { theme count } } } }"""
DEPARTMENT = """query ($code: String!, $period: Period!, $metric: String!) {
  department(code: $code) { id code
    series(metricCode: $metric, from: "2026-08", to: $period) { period value target attainment }
    gaps(period: $period, first: 5) { id severity complete drivers(first: 5) { segment share } }
    employeesConnection(first: 50) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id employeeId name } } }
    feedbackConnection(period: $period, first: 20) { totalCount edges { node { text } } }
    topPerformers(metricCode: $metric, period: $period) { employeeId employee { id name } }
  }
}"""
OWN_PAGE = """query ($id: String!) { employee(id: $id) { id employeeId name department { id code }
  growth { growthKind skill } } }"""


def test_the_hr_overview_with_pages_and_ids(company, engine):  # noqa: F811
    small, small_statements = run(company, engine, OVERVIEW, period=sized_company.PERIOD)
    sized_company.grow(engine, MORE)
    large, large_statements = run(company, engine, OVERVIEW, period=sized_company.PERIOD)

    assert (len(small["departments"]), len(large["departments"])) == (5, 17)
    assert all(g["drivers"] and g["metric"]["id"] for d in large["departments"] for g in d["gaps"])
    assert len(large_statements) == len(small_statements), large_statements


def test_the_department_screen_with_a_series_and_pages(company, engine):  # noqa: F811
    variables = {"code": "D00", "period": sized_company.PERIOD, "metric": "defect_rate"}
    manager = act_as(company, "manager", "D00-M", "D00")
    small, small_statements = run(manager, engine, DEPARTMENT, **variables)
    sized_company.grow(engine, MORE, people=12)
    larger = act_as(company, "manager", f"D{SMALL:02d}-M", f"D{SMALL:02d}")
    large, large_statements = run(larger, engine, DEPARTMENT, **{**variables, "code": f"D{SMALL:02d}"})

    department = large["department"]
    assert department["employeesConnection"]["totalCount"] == 12
    assert [p["period"] for p in department["series"]] == ["2026-08", "2026-09", "2026-10"]
    assert department["series"][-1]["value"] is not None
    assert len(large_statements) == len(small_statements), large_statements
    assert audit_inserts(large_statements) == 1


def test_an_employees_own_page_with_ids(company, engine):  # noqa: F811
    me = act_as(company, "employee", "D00-0", None)
    small, small_statements = run(me, engine, OWN_PAGE, id="D00-0")
    sized_company.grow(engine, MORE)
    large, large_statements = run(me, engine, OWN_PAGE, id="D00-0")

    assert small == large and large["employee"]["id"] == "Employee:D00-0"
    assert len(large_statements) == len(small_statements), large_statements
