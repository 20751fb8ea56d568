"""Inputs the server cannot take are refused with the reason (4xx or a GraphQL error), never
a 500: JSON nested too deep (body, variables) or a query document nested too deep, text that
is not Unicode (a lone surrogate)."""

from __future__ import annotations

import pytest

from api.http.json_body import MAX_DEPTH

DEPARTMENT = '"query": "query ($code: String!) { department(code: $code) { code } }"'


def post(client, body: str):
    return client.post("/graphql", content=body.encode(), headers={"Content-Type": "application/json"})


def refusal(response) -> tuple[int, str, str]:
    error = response.json()["errors"][0]
    return response.status_code, error["extensions"]["code"], error["message"]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 900, 100_000])
def test_json_nested_too_deep_is_refused_in_the_body_and_in_variables(client, depth):
    body = post(client, "[" * depth + "]" * depth)
    variables = post(client, "{" + DEPARTMENT + ', "variables": {"code": ' + "[" * depth + "]" * depth + "}}")

    assert refusal(body)[:2] == (400, "BAD_USER_INPUT")
    assert refusal(body)[2].endswith(f"the JSON is nested more than {MAX_DEPTH} levels deep")
    status, code, message = refusal(variables)
    assert (status, code) == (400, "BAD_USER_INPUT")
    assert message.endswith(f"the JSON is nested more than {MAX_DEPTH} levels deep")
    assert depth > 900 or message.startswith("variables.code.0.0.0.0.…:")  # where, unless too deep to parse


def test_a_query_document_nested_too_deep_is_refused(client):
    selections = "{ departments " + "{ children " * 2000 + "}" * 2001
    literal = "{ department(code: " + "[" * 2000 + "]" * 2000 + ") { code } }"

    for query in (selections, literal):
        response = client.post("/graphql", json={"query": query})
        assert response.status_code == 200
        assert response.json()["data"] is None
        assert "nested too deeply" in response.json()["errors"][0]["message"]


def test_a_lone_surrogate_is_refused_as_bad_input_wherever_it_is(client):
    variable = post(client, "{" + DEPARTMENT + ', "variables": {"code": "PROD\\ud800"}}')
    key = post(client, "{" + DEPARTMENT + ', "variables": {"\\udfff": "PROD"}}')
    in_query = post(client, '{"query": "{ department(code: \\"\\ud800\\") { code } }"}')

    assert refusal(variable) == (
        400,
        "BAD_USER_INPUT",
        "variables.code: the text holds a lone surrogate (\\ud800), which is not valid Unicode",
    )
    assert refusal(key)[:2] == (400, "BAD_USER_INPUT") and refusal(key)[2].startswith("variables.\\udfff:")
    assert refusal(in_query)[2].startswith("query: the text holds a lone surrogate")


def test_a_body_that_is_not_json_or_not_utf8_is_refused(client):
    assert refusal(post(client, "{nope"))[:2] == (400, "BAD_USER_INPUT")
    response = client.post(
        "/graphql", content=b'{"query": "\xff"}', headers={"Content-Type": "application/json"}
    )
    assert refusal(response) == (400, "BAD_USER_INPUT", "the JSON is not UTF-8 text")


def test_deep_variables_in_a_get_request_are_refused_too(client):
    response = client.get("/graphql", params={"query": "{ metrics { code } }", "variables": "[" * 10_000})

    assert refusal(response)[:2] == (400, "BAD_USER_INPUT")
