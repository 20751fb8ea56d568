"""Query-count pins (Saleor-style): each screen runs as many SQL statements for a small company as
for a larger one, so no field queries per department or per person; and each request writes
its audit trail in one INSERT."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.api import sized_company
from tests.api.conftest import act_as, graphql
from tests.support.statements import counted

SMALL, MORE = 2, 6  # branches (each a department and a sub-department): 5, then 17 departments
# The overview as the cost estimate lets it pass today (87,100 of 100,000; each list without a
# page size counts as 20, departments as 50): with parent, children, the gaps' metrics and more
# columns it is estimated at 153,750 and refused.
OVERVIEW = """query ($period: Period!, $metric: String!) {
  departments {
    code name
    gaps(period: $period) { severity drivers { dimension } feedback { count } }
    growthNeeds(period: $period) { skill }
    topPerformers(metricCode: $metric, period: $period) { employeeId }
  }
}"""
DEPARTMENT = """query ($code: String!, $period: Period!, $metric: String!) {
  department(code: $code) {
    code children { code }
    gaps(period: $period) { severity metric { code } drivers { segment share } feedback { theme count } }
    feedback(period: $period) { text themes }
    employees { employeeId name manager { employeeId } }
    growthNeeds(period: $period) { skill share }
    topPerformers(metricCode: $metric, period: $period) { employeeId value }
  }
}"""
OWN_PAGE = """query ($id: String!) {
  employee(id: $id) {
    employeeId name department { code name } manager { name }
    reviews { cycle score } growth { kind skill }
  }
}"""
# Each loader is reached from one path only: two paths into one loader (a feedback's author and
# an employee's manager both load employees by id; a feedback's and a gap's metric) batch
# together or not depending on which read comes back first: the count would vary by one.
AUDIT_INSERT = "INSERT INTO auditentry"


def run(client, engine: Engine, query: str, **variables) -> tuple[dict, list[str]]:
    with counted(engine) as statements:
        result = graphql(client, query, **variables)
    assert "errors" not in result, result["errors"]
    return result["data"], statements


def audit_inserts(statements: list[str]) -> int:
    return sum(s.startswith(AUDIT_INSERT) for s in statements)


@pytest.fixture
def company(make_client, database_url, engine):
    """Every count includes resolving the request's viewer: no cached viewer for a second request."""
    client = make_client(database_url, engine, SALON_VIEWER_CACHE_SECONDS="0")
    sized_company.build(engine, SMALL)
    return client


def test_the_hr_overview_runs_as_many_statements_for_a_larger_company(company, engine):
    variables = {"period": sized_company.PERIOD, "metric": "defect_rate"}
    small, small_statements = run(company, engine, OVERVIEW, **variables)
    sized_company.grow(engine, MORE)
    large, large_statements = run(company, engine, OVERVIEW, **variables)

    assert (len(small["departments"]), len(large["departments"])) == (5, 17)
    every = large["departments"]
    assert all(len(d["gaps"]) == 2 and d["growthNeeds"] and d["topPerformers"] for d in every)
    assert all(g["drivers"] and g["feedback"] for d in every for g in d["gaps"])
    assert len(large_statements) == len(small_statements), large_statements
    assert audit_inserts(large_statements) == 1  # drivers' and top performers' reads, in one entry


def test_the_department_screen_runs_as_many_statements_for_a_larger_department(company, engine):
    """A manager's screen of their branch: a larger branch (more people) costs no more statements."""
    manager = act_as(company, "manager", "D00-M", "D00")
    variables = {"code": "D00", "period": sized_company.PERIOD, "metric": "defect_rate"}
    small, small_statements = run(manager, engine, DEPARTMENT, **variables)
    sized_company.grow(engine, MORE, people=12)  # its larger sister branches
    larger = act_as(company, "manager", f"D{SMALL:02d}-M", f"D{SMALL:02d}")
    large, large_statements = run(larger, engine, DEPARTMENT, **{**variables, "code": f"D{SMALL:02d}"})

    assert (len(small["department"]["employees"]), len(large["department"]["employees"])) == (4, 12)
    assert len(large["department"]["feedback"]) == 2 and large["department"]["gaps"][0]["drivers"]
    assert len(large_statements) == len(small_statements), large_statements
    assert audit_inserts(large_statements) == 1


def test_an_employees_own_page_runs_a_fixed_number_of_statements(company, engine):
    me = act_as(company, "employee", "D00-0", None)
    small, small_statements = run(me, engine, OWN_PAGE, id="D00-0")
    sized_company.grow(engine, MORE)
    large, large_statements = run(me, engine, OWN_PAGE, id="D00-0")

    assert small == large and large["employee"]["reviews"] and large["employee"]["growth"]
    assert len(large_statements) == len(small_statements), large_statements
    assert audit_inserts(large_statements) == 1  # the person, their reviews and growth: one entry


def test_the_salon_list_runs_as_many_statements_for_more_salons(demo_client, demo_engine):
    """Two months of the demo company: one planned for two departments, one for all of them."""
    from tests.api.test_salons_api import SALONS, plan
    from workers.rebuild import rebuild

    rebuild(demo_engine)
    plan(demo_client, month="2026-11", departments=["STORE", "PROD"])
    plan(demo_client, month="2026-12")

    few, few_statements = run(demo_client, demo_engine, SALONS, month="2026-11")
    many, many_statements = run(demo_client, demo_engine, SALONS, month="2026-12")

    assert (len(few["salons"]), len(many["salons"])) == (2, 7)  # OPS and SALES share one exchange
    assert len(many_statements) == len(few_statements), many_statements
    assert audit_inserts(many_statements) == 1


def test_the_benchmarked_dashboard_runs_as_many_statements_at_1000_and_20000_employees(company, engine):
    """bench/serve.py's query, on its company at both sizes: the department's screen does not
    grow with the company around it."""
    from bench.load import DASHBOARD

    people_per_branch = 2 * 4  # a department and its sub-department, 4 people each
    variables = {"code": "D00", "period": sized_company.PERIOD}
    sized_company.grow(engine, 1_000 // people_per_branch - SMALL)
    small, small_statements = run(company, engine, DASHBOARD, **variables)
    sized_company.grow(engine, (20_000 - 1_000) // people_per_branch)
    large, large_statements = run(company, engine, DASHBOARD, **variables)

    assert large == small and len(small["department"]["gaps"]) == 2
    assert len(large_statements) == len(small_statements), large_statements
