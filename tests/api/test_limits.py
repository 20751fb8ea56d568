"""Abusive requests are refused before they run, and the refusal says why."""

from __future__ import annotations

import pytest

from tests.api.conftest import graphql

# The limits do not depend on the database: SQLite is enough.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

DASHBOARD = """
query Dashboard($code: String!, $period: Period!) {
  department(code: $code) {
    code name
    gaps(period: $period) {
      metric { code name unit } actual previous target change attainment belowTarget worsening severity
      drivers { dimension segment share }
      feedback { theme count }
    }
    growthNeeds(period: $period) { skill share metricAverage relatedMetric { code } }
  }
}
"""


def _refusal(client, query: str, **variables) -> str:
    result = graphql(client, query, **variables)
    assert result.get("data") is None, result
    (error,) = result["errors"]
    return error["message"]


def test_the_department_dashboard_passes_every_default_limit(client):
    result = graphql(client, DASHBOARD, code="STORE", period="2026-Q3")

    assert "errors" not in result and result["data"] == {"department": None}


def test_a_query_deeper_than_the_limit_is_refused(make_client, database_url, engine):
    client = make_client(database_url, engine, SALON_MAX_QUERY_DEPTH="3")
    deep = "{ departments { parent { parent { parent { code } } } } }"

    assert "exceeds maximum operation depth of 3" in _refusal(client, deep)
    assert "errors" not in graphql(client, "{ departments { parent { parent { code } } } }")


def test_too_many_aliases_are_refused(make_client, database_url, engine):
    client = make_client(database_url, engine, SALON_MAX_ALIASES="2")
    query = "{ a: periods b: periods c: periods }"

    assert _refusal(client, query) == "3 aliases found. Allowed: 2"


def test_too_many_tokens_are_refused(make_client, database_url, engine):
    client = make_client(database_url, engine, SALON_MAX_TOKENS="50")
    query = "{ " + " ".join(["periods"] * 60) + " }"

    assert "more than 50 tokens" in _refusal(client, query)


def test_nested_lists_above_the_cost_limit_are_refused_with_the_estimate(client):
    query = "{ departments { employees { manager { department { employees { name } } } } } }"

    message = _refusal(client, query)

    assert "estimated cost" in message and "above the limit of 100,000" in message


def test_batched_operations_are_refused(client):
    batch = [{"query": "{ periods }"}, {"query": "{ metrics { code } }"}]

    response = client.post("/graphql", json=batch)

    assert response.status_code == 400
    assert "batch" in response.text.lower()


def test_a_json_body_over_the_size_limit_is_refused_unparsed(make_client, database_url, engine):
    client = make_client(database_url, engine, SALON_IMPORT_MAX_BYTES="1")
    limit = 1 + 1024 * 1024
    body = '{"query": "{ periods }", "variables": {"pad": "' + "x" * limit + '"}}'

    declared = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    streamed = client.post(
        "/graphql",
        content=iter([body.encode()[:1000], body.encode()[1000:]]),
        headers={"content-type": "application/json"},
    )

    assert declared.status_code == streamed.status_code == 413
    assert f"limit of {limit:,} bytes" in declared.json()["errors"][0]["message"]


def test_a_hidden_schema_refuses_introspection_and_serves_no_console(make_client, database_url, engine):
    client = make_client(database_url, engine, SALON_EXPOSE_SCHEMA="false")

    refused = graphql(client, "{ __schema { types { name } } }")
    console = client.get("/graphql", headers={"accept": "text/html"})
    suggestion = graphql(client, "{ period }")["errors"][0]["message"]

    assert (
        refused.get("data") is None and "introspection has been disabled" in refused["errors"][0]["message"]
    )
    assert console.status_code == 404
    assert "Did you mean" not in suggestion  # no field names leak through suggestions either
    assert "errors" not in graphql(client, "{ periods }")


def test_an_exposed_schema_answers_introspection_and_serves_the_console(client):
    result = graphql(client, "{ __schema { queryType { name } } }")

    assert result["data"]["__schema"]["queryType"]["name"] == "Query"
    assert "graphiql" in client.get("/graphql", headers={"accept": "text/html"}).text.lower()
