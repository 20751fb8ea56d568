"""Errors say why a request was refused and never how the server failed."""

from __future__ import annotations

import logging

import psycopg
import strawberry
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from api.errors import ErrorMasking
from domain.errors import DATABASE_UNAVAILABLE, VALUE_REFUSED, UserError
from tests.api.conftest import graphql

LEAKS = ("observation", "sqlite", "psycopg", "select", "traceback", ".py", "table")


def test_an_unexpected_failure_is_masked_with_the_request_id_of_the_logged_traceback(client, engine, caplog):
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE observation"))  # a bug the server cannot explain safely

    with caplog.at_level(logging.ERROR, logger="api.errors"):
        response = client.post("/graphql", json={"query": "{ periods }"})

    (error,) = response.json()["errors"]
    assert response.status_code == 200
    assert error["message"] == "internal error"
    assert error["extensions"]["code"] == "INTERNAL_ERROR"
    request_id = error["extensions"]["requestId"]
    assert response.headers["x-request-id"] == request_id
    assert not any(leak in response.text.lower() for leak in LEAKS), response.text
    (record,) = [r for r in caplog.records if request_id in r.getMessage()]
    assert "observation" in str(record.exc_info[1]).lower()  # the operator sees what the client did not


def test_a_bad_period_says_what_is_expected_whether_literal_or_variable(client):
    literal = graphql(client, '{ crossDepartment(metricCode: "x", period: "2026-13") { rank } }')
    variable = graphql(
        client,
        'query($p: Period!) { crossDepartment(metricCode: "x", period: $p) { rank } }',
        p="last month",
    )

    assert "expected YYYY-MM" in literal["errors"][0]["message"]
    assert "$p" in variable["errors"][0]["message"] and "expected YYYY-MM" in variable["errors"][0]["message"]


def test_a_nul_character_in_an_argument_is_refused_as_bad_input_on_every_database(client):
    result = graphql(client, '{ department(code: "a\\u0000b") { code } employee(id: "\\u0000") { name } }')

    # SQLite finds nothing; PostgreSQL refuses NUL in text — either way no internal error
    assert all(e["message"] == VALUE_REFUSED for e in result.get("errors", [])), result
    assert result["data"] == {"department": None, "employee": None}


def test_validation_errors_name_the_field(client):
    result = graphql(client, "{ departments { nope } }")

    assert "Cannot query field 'nope' on type 'Department'" in result["errors"][0]["message"]


@strawberry.type
class Failing:
    @strawberry.field
    def refused(self) -> int | None:
        raise UserError("period 2026-13: expected YYYY-MM")

    @strawberry.field
    def database_down(self) -> int | None:
        raise OperationalError(
            "SELECT 1", {}, psycopg.OperationalError("connection to server at 10.0.0.5 failed: refused")
        )

    @strawberry.field
    def bug(self) -> int | None:
        raise KeyError("/srv/salon/secret.py")


def test_each_kind_of_failure_gets_its_own_safe_message():
    schema = strawberry.Schema(Failing, extensions=[ErrorMasking])

    errors = {e.path[0]: e for e in schema.execute_sync("{ refused databaseDown bug }").errors}

    assert errors["refused"].message == "period 2026-13: expected YYYY-MM"
    assert errors["refused"].extensions == {"code": "BAD_USER_INPUT"}
    assert errors["databaseDown"].message == DATABASE_UNAVAILABLE
    assert errors["databaseDown"].extensions["code"] == "DATABASE_UNAVAILABLE"
    assert errors["bug"].message == "internal error" and errors["bug"].original_error is None
