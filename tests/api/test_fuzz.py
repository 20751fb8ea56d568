"""Fuzzing: queries generated from the schema (hypothesis-graphql) against the demo company.

Valid queries (any fields, any arguments, including NUL characters and nonsense periods)
and queries with one schema violation each: never a 5xx, never an internal error, never a
trace of SQL, drivers or files in an answer. Bounded in examples so the suite stays fast.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, nodes, queries

from api.schema import sdl

LEAKS = re.compile(r"traceback|file \"|sqlalchemy|psycopg|sqlite|\bselect\b.*\bfrom\b|/work/|\.py\b", re.I)
PERIODS = st.one_of(
    st.sampled_from(["2026-Q3", "2026-10", "2025-01", "2026-Q4"]),
    st.text(max_size=12),
).map(nodes.String)
FUZZ = settings(
    max_examples=120,
    deadline=None,  # a shared machine; the bound is the number of examples
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _check(client, query: str) -> None:
    response = client.post("/graphql", json={"query": query})

    assert response.status_code < 500, response.text
    for error in response.json().get("errors", []):
        assert error["message"] != "internal error", (query, error)
        leak = LEAKS.search(error["message"])  # the caller's own input echoed back is not a leak
        assert not leak or leak.group(0).lower() in query.lower(), (query, error)


@FUZZ
@given(query=queries(sdl(), custom_scalars={"Period": PERIODS}))
def test_generated_queries_never_fail_unexpectedly(demo_client, query):
    _check(demo_client, query)


@FUZZ
@given(query=queries(sdl(), custom_scalars={"Period": PERIODS}, mode=Mode.NEGATIVE))
def test_generated_invalid_queries_are_refused_with_a_reason(demo_client, query):
    response = demo_client.post("/graphql", json={"query": query})

    assert response.status_code < 500, response.text
    errors = response.json().get("errors", [])
    assert errors and all(e["message"] and e["message"] != "internal error" for e in errors), query
