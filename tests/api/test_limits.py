"""Abusive requests are refused before they run, and the refusal says why."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.api import org
from tests.api.conftest import act_as, graphql

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


ROLES = [
    ("hr_admin", "hr-admin", None),
    ("manager", "P1", "PROD"),  # the small company's real manager (tests.api.org)
    ("employee", "P2", None),
    ("service", "bi", None),
]
JSON = {"content-type": "application/json"}
SMALL_LIMIT = 1024 * 1024  # SALON_MAX_BODY_BYTES' default


def _padded_json(size: int) -> bytes:
    return ('{"query": "{ periods }", "variables": {"pad": "' + "x" * size + '"}}').encode()


def _declared_and_chunked(client, body: bytes, **headers) -> list:
    """The same body twice: with its Content-Length, and chunked (no length: counted as it arrives)."""
    return [
        client.post("/graphql", content=body, headers=headers),
        client.post("/graphql", content=iter([body[:1000], body[1000:]]), headers=headers),
    ]


@pytest.mark.parametrize(("role", "subject", "department"), ROLES)
def test_a_json_body_over_the_body_limit_is_refused_for_every_role(client, engine, role, subject, department):
    org.build(engine)  # a manager's token counts only for a real manager
    viewer = act_as(client, role, subject, department)

    responses = _declared_and_chunked(viewer, _padded_json(SMALL_LIMIT), **JSON)
    small = viewer.post("/graphql", json={"query": "{ periods }", "variables": {"pad": "x" * 1000}})

    assert [r.status_code for r in responses] == [413, 413]
    assert f"limit of {SMALL_LIMIT:,} bytes" in responses[0].json()["errors"][0]["message"]
    assert "errors" not in small.json()


def test_the_body_limit_is_a_setting(make_client, database_url, engine):
    client = make_client(database_url, engine, SALON_MAX_BODY_BYTES="2000")

    assert client.post("/graphql", content=_padded_json(1000), headers=JSON).status_code == 200
    assert [r.status_code for r in _declared_and_chunked(client, _padded_json(2000), **JSON)] == [413, 413]


def _import_request(size: int) -> tuple[bytes, dict[str, str]]:
    """A dry-run import of ``size // 1000`` departments (with an extra column, ignored), as a
    multipart request of about ``size`` bytes."""
    operations = {"query": UPLOAD, "variables": {"file": None}}
    content = "code,name,note\n" + "".join(f"D{i},部门{i}," + "x" * 1000 + "\n" for i in range(size // 1000))
    request = httpx.Request(
        "POST",
        "http://testserver/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("departments.csv", content.encode(), "text/csv")},
    )
    return request.read(), {**PREFLIGHT, "content-type": request.headers["content-type"]}


UPLOAD = "mutation ($file: Upload!) { importData(kind: DEPARTMENTS, file: $file, dryRun: true) { rowsRead } }"
PREFLIGHT = {"Apollo-Require-Preflight": "true"}


def test_an_hr_admins_multipart_import_may_be_larger_than_the_body_limit(client):
    body, headers = _import_request(2 * SMALL_LIMIT)

    responses = _declared_and_chunked(client, body, **headers)

    for response in responses:
        assert response.status_code == 200, response.text
        assert response.json()["data"]["importData"]["rowsRead"] == 2 * SMALL_LIMIT // 1000


@pytest.mark.parametrize(("role", "subject", "department"), ROLES[1:])
def test_another_roles_multipart_request_over_the_body_limit_is_refused(
    client, engine, role, subject, department
):
    org.build(engine)
    body, headers = _import_request(2 * SMALL_LIMIT)

    responses = _declared_and_chunked(act_as(client, role, subject, department), body, **headers)

    assert [r.status_code for r in responses] == [413, 413]
    assert "only HR admins' multipart imports may be larger" in responses[0].json()["errors"][0]["message"]


def test_a_login_form_over_the_body_limit_is_refused(client):
    form = {"content-type": "application/x-www-form-urlencoded"}

    response = client.post("/login", content=b"token=" + b"x" * SMALL_LIMIT, headers=form)

    assert response.status_code == 413


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
