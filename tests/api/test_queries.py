"""The foundation's queries answer on an empty and on the demo database."""

from __future__ import annotations

import pytest

from domain.models import JobStatus
from tests.api.conftest import graphql
from tests.support.jobs import wait_for_job
from tests.support.statements import counted
from workers.actors import summarise_data
from workers.jobs import enqueue


def test_an_empty_database_answers_with_empty_lists(client):
    result = graphql(
        client, '{ departments { code } metrics { code } periods department(code: "X") { code } }'
    )

    assert result == {"data": {"departments": [], "metrics": [], "periods": [], "department": None}}


def test_health_reports_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "embedded"}


def test_graphiql_console_is_served(client):
    response = client.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_demo_departments_form_a_tree(demo_client):
    result = graphql(demo_client, "{ departments { code name parent { code } children { code } } }")

    departments = {d["code"]: d for d in result["data"]["departments"]}
    assert {"HQ", "STORE", "PROD", "TECH", "MKT", "CS", "SALES", "OPS"} <= departments.keys()
    assert departments["HQ"]["parent"] is None
    assert departments["PROD"]["parent"] == {"code": "HQ"}
    assert {"code": "PROD"} in departments["HQ"]["children"]
    assert departments["PROD"]["name"] == "生产部"


def test_department_by_code_with_its_employees_and_their_managers(demo_client):
    query = "query ($code: String!) { department(code: $code) { code employees { employeeId name department { code } manager { employeeId } } } }"

    result = graphql(demo_client, query, code="TECH")

    employees = result["data"]["department"]["employees"]
    assert len(employees) > 10
    assert all(e["department"] == {"code": "TECH"} for e in employees)
    assert any(e["manager"] is not None for e in employees)


def test_metrics_carry_direction_and_aggregation(demo_client):
    result = graphql(demo_client, "{ metrics { code direction aggregation skill } }")

    metrics = {m["code"]: m for m in result["data"]["metrics"]}
    assert metrics["defect_rate"]["direction"] == "LOWER_IS_BETTER"
    assert metrics["defect_rate"]["aggregation"] == "RATIO"
    assert metrics["code_efficiency"]["skill"] == "code_optimization"


def test_periods_lists_the_months_with_data_latest_first(demo_client):
    periods = graphql(demo_client, "{ periods }")["data"]["periods"]

    assert periods[0] == "2026-10" and periods[-1] == "2025-01"
    assert periods == sorted(periods, reverse=True)


def test_employee_by_id(demo_client):
    result = graphql(
        demo_client,
        '{ employee(id: "E0001") { employeeId name hireDate department { code } } missing: employee(id: "nope") { name } }',
    )

    assert result["data"]["employee"]["employeeId"] == "E0001"
    assert result["data"]["missing"] is None


def test_job_by_id_follows_a_job_through_the_embedded_worker(demo_client, demo_engine):
    job = enqueue(demo_engine, summarise_data)
    wait_for_job(demo_engine, job.id)

    result = graphql(
        demo_client, "query ($id: ID!) { job(id: $id) { id kind status attempts error result } }", id=job.id
    )

    assert result["data"]["job"]["status"] == JobStatus.SUCCEEDED
    assert result["data"]["job"]["kind"] == "summarise_data"
    assert result["data"]["job"]["result"]["employees"] > 300


def test_a_job_left_running_completes_when_the_server_starts(database_url, engine, make_client):
    """Given a RUNNING job and no process running it, starting the server finishes it."""
    from sqlmodel import Session

    from domain.models import Job

    with Session(engine, expire_on_commit=False) as session:
        job = Job(actor="summarise_data", status=JobStatus.RUNNING, attempts=1)
        session.add(job)
        session.commit()

    make_client(database_url, engine)

    done = wait_for_job(engine, job.id)
    assert (done.status, done.attempts) == (JobStatus.SUCCEEDED, 2)


def test_nested_fields_are_batched_not_queried_per_row(demo_client, demo_engine):
    """Saleor-style query-count pin: the tree and every employee's manager in a handful of queries."""
    with counted(demo_engine) as statements:
        result = graphql(
            demo_client,
            "{ departments { parent { code } children { code } employees { manager { name } department { code } } } }",
        )

    assert "errors" not in result
    assert sum(len(d["employees"]) for d in result["data"]["departments"]) > 300
    reads = [s for s in statements if not s.startswith("INSERT INTO auditentry")]
    assert len(statements) - len(reads) == 1  # the request's audit entries, in one statement
    assert len(reads) <= 6, reads


@pytest.mark.parametrize("query", ["{ department { code } }", "{ nope }", "{ job(id: 1) { nope } }"])
def test_invalid_queries_say_why(client, query):
    result = client.post("/graphql", json={"query": query}).json()

    assert result["errors"] and all(e["message"] for e in result["errors"])
    assert "data" not in result or result["data"] is None
