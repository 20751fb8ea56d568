"""Every error carries one of the documented ``extensions.code`` values, in a JSON body, so a
client branches on the code and never on the words."""

from __future__ import annotations

import pytest

from api.errors import CODES
from domain.errors import Conflict, InvalidArgument, NotFound, UserError
from domain.salons.store import SalonConflict, SalonError, SalonNotFound
from tests.api.conftest import graphql


def codes(result: dict) -> list[str]:
    return [error["extensions"]["code"] for error in result["errors"]]


def test_domain_errors_say_their_kind_without_each_resolver_knowing():
    assert UserError("x").code == InvalidArgument("x").code == SalonError("x").code == "BAD_USER_INPUT"
    assert SalonConflict("salon 3 is CANCELLED").code == Conflict("x").code == "CONFLICT"
    assert SalonNotFound("no salon 3").code == NotFound("x").code == "NOT_FOUND"
    assert isinstance(SalonConflict("x"), InvalidArgument)  # still bad input to code that catches that
    assert {"UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT", "CONFLICT"} <= CODES.keys()
    assert {"GRAPHQL_VALIDATION_FAILED", "QUERY_TOO_COMPLEX", "INTERNAL_ERROR"} <= CODES.keys()


def test_a_request_without_a_token_is_refused_with_a_code_in_json(make_client, database_url, engine):
    anonymous = make_client(database_url, engine, role="")

    response = anonymous.post("/graphql", json={"query": "{ periods }"})

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/")
    assert codes(response.json()) == ["UNAUTHENTICATED"]


def test_a_document_that_does_not_parse_or_fit_the_schema_fails_validation(client):
    assert codes(graphql(client, "{ departments { nope } }")) == ["GRAPHQL_VALIDATION_FAILED"]
    assert codes(graphql(client, "{ departments {")) == ["GRAPHQL_VALIDATION_FAILED"]


def test_a_bad_period_is_bad_input_whether_literal_or_variable(client):
    query = 'query($p: Period!) { crossDepartment(metricCode: "x", period: $p) { rank } }'

    assert codes(graphql(client, query, p="last month")) == ["BAD_USER_INPUT"]
    assert codes(graphql(client, '{ crossDepartment(metricCode: "x", period: "2026-13") { rank } }')) == [
        "BAD_USER_INPUT"
    ]
    assert codes(graphql(client, "query($p: Period!) { periods }")) == ["BAD_USER_INPUT"]  # $p missing


@pytest.mark.parametrize(
    ("setting", "query"),
    [
        ("SALON_MAX_QUERY_DEPTH", "{ departments { children { children { children { code } } } } }"),
        ("SALON_MAX_ALIASES", "{ a: periods b: periods c: periods d: periods }"),
        ("SALON_MAX_TOKENS", "{ a: periods b: periods c: periods d: periods e: periods }"),
        ("SALON_MAX_FIELDS", "{ departments { code name } metrics { code } }"),
        ("SALON_MAX_QUERY_COST", "{ departments { employees { name } } }"),
    ],
)
def test_each_refused_limit_is_too_complex(make_client, database_url, engine, setting, query):
    limited = make_client(database_url, engine, **{setting: "3"})

    result = graphql(limited, query)

    assert codes(result) == ["QUERY_TOO_COMPLEX"], result


def test_a_body_over_the_limit_is_bad_input_in_json(make_client, database_url, engine):
    small = make_client(database_url, engine, SALON_MAX_BODY_BYTES="100")

    response = small.post("/graphql", json={"query": "{ periods }", "variables": {"x": "y" * 200}})

    assert response.status_code == 413
    assert codes(response.json()) == ["BAD_USER_INPUT"]


def test_an_unknown_metric_code_is_an_error_not_an_empty_list(client):
    result = graphql(client, '{ crossDepartment(metricCode: "no_such_metric", period: "2026-10") { rank } }')

    assert codes(result) == ["BAD_USER_INPUT"]
    assert "metricCode: no metric with code 'no_such_metric'" in result["errors"][0]["message"]
