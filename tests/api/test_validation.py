"""Validation costs little, whatever the query: shapes that made it quadratic or exponential are
refused before it runs, real queries pass, and a hidden schema suggests no names."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from pathlib import Path

import pytest
import strawberry
from graphql import ValidationRule, get_introspection_query, parse, validate
from strawberry.extensions import AddValidationRules

from api import validation
from api.schema import make_schema
from api.validation import MAX_REPEATS, MAX_SPREADS, BoundedValidation, PassedQueries, measure
from domain.settings import Settings
from tests.api.conftest import graphql

README = Path(__file__).parents[2] / "README.md"
sqlite = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def validations(monkeypatch) -> list[int]:
    """Counts graphql-core validation passes: a query refused by size must be refused before any
    rule runs (a refusal's cost is the size count, whatever the rules would have cost)."""
    calls: list[int] = []
    real = validation.validate

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(validation, "validate", counting)
    return calls


def _timed_refusal(client, query: str, **variables) -> tuple[str, float]:
    """The refusal's message, and its time (printed for the record: the assertion is that no
    validation rule ran — timings belong to benchmarks)."""
    started = time.perf_counter()
    result = graphql(client, query, **variables)
    elapsed = time.perf_counter() - started
    assert result.get("data") is None, result
    return result["errors"][0]["message"], elapsed


def _doubling_fragments(levels: int) -> str:
    """Each fragment spreads the next twice: 2**levels fields once expanded, in 1 KB."""
    fragments = " ".join(
        f"fragment F{i} on Query {{ metrics {{ code }} ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    return "{ ...F0 } " + fragments + f" fragment F{levels} on Query {{ periods }}"


@sqlite
def test_a_field_repeated_600_times_is_refused_before_validation(client, validations):
    query = "{ " + " ".join(["metrics { code }"] * 600) + " }"  # 10 KB; it took 1.3-1.8 s to refuse

    graphql(client, "{ periods }")  # warm up (the first request builds caches)
    before = len(validations)
    message, elapsed = _timed_refusal(client, query)

    print(f"600 x metrics{{code}} refused in {elapsed * 1000:.1f} ms")
    assert f"'metrics' is selected more than {MAX_REPEATS} times at the top level" in message
    assert len(validations) == before > 0  # the warm-up was validated; the refused query was not


@sqlite
def test_fragments_that_spread_each_other_twice_are_refused_before_validation(client, validations):
    message, elapsed = _timed_refusal(client, _doubling_fragments(17))  # it took seconds (2**17)

    print(f"doubling fragments refused in {elapsed * 1000:.1f} ms")
    assert f"more than {MAX_SPREADS} fragments are spread at the top level" in message
    assert validations == []


@sqlite
def test_a_field_repeated_under_another_is_counted_where_it_answers(client):
    inner = " ".join(["code"] * 6)
    query = "{ departments { " + inner + " } departments { " + inner + " } }"  # 12 x departments.code

    message, _ = _timed_refusal(client, query)

    assert f"'code' is selected more than {MAX_REPEATS} times at departments" in message


@sqlite
def test_the_same_field_with_different_arguments_under_one_name_is_refused_before_comparing(
    client, validations
):
    fields = (f'd: department(code: "D{i}") {{ code }}' for i in range(450))  # 4,500 tokens
    query = "{ " + " ".join(fields) + " }"

    message, elapsed = _timed_refusal(client, query)

    assert f"'d' is selected more than {MAX_REPEATS} times" in message
    assert validations == []  # the overlapping-fields rule never compared the 450


@sqlite
def test_a_query_over_the_field_limit_is_refused_counting_fragments_where_spread(
    make_client, database_url, engine
):
    client = make_client(database_url, engine, SALON_MAX_FIELDS="6")
    fragment = "fragment M on Metric { code name unit }"
    at_limit = "{ metrics { ...M } periods } " + fragment  # metrics, spread, 3 fields, periods
    over = "{ metrics { ...M } a: metrics { ...M } } " + fragment

    assert "errors" not in graphql(client, at_limit)
    message, _ = _timed_refusal(client, over)
    assert message.startswith("the query has more than 6 selections")


def _readme_queries() -> list[str]:
    blocks = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return [query for block in blocks for query in re.split(r"\n\n+", block.strip()) if query]


@pytest.mark.parametrize("demo_database_url", ["sqlite"], indirect=True)
def test_the_readme_queries_and_graphiqls_introspection_pass(demo_client):
    queries = _readme_queries()

    results = [graphql(demo_client, query) for query in queries]
    introspection = graphql(demo_client, get_introspection_query(input_value_deprecation=True))

    assert len(queries) >= 3  # the tour, planning a month, reading its salons
    assert [r.get("errors") for r in results] == [None] * len(queries)
    assert "errors" not in introspection and introspection["data"]["__schema"]["types"]


def test_a_measured_document_is_walked_once_however_its_fragments_nest():
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(3000))
    document = parse("{ ...F0 } " + chain + " fragment F3000 on Query { periods }")
    cycle = parse("{ ...A } fragment A on Query { periods ...B } fragment B on Query { ...A }")

    assert "more than 20 fragments are spread" in measure(document, max_fields=10_000)  # no recursion
    assert measure(cycle, max_fields=100) is None  # not followed: validation names the cycle


@strawberry.type
class _Query:
    hello: str = "world"


def test_validation_runs_in_a_worker_thread_not_on_the_event_loop():
    threads = []

    class RecordThread(ValidationRule):
        def enter_document(self, *args) -> None:
            threads.append(threading.current_thread())

    schema = strawberry.Schema(
        _Query,
        extensions=[
            lambda: AddValidationRules([RecordThread]),
            lambda: BoundedValidation(max_fields=10, hide_suggestions=False),
        ],
    )

    result = asyncio.run(schema.execute("{ hello }", root_value=_Query()))

    assert result.errors is None and result.data == {"hello": "world"}
    assert threads and all(thread is not threading.main_thread() for thread in threads)


HIDDEN_SUGGESTIONS = {
    "field": "{ period }",
    "argument": '{ department(cod: "X") { code } }',
    "variable type": "query ($p: Perio) { periods }",
    "fragment type condition": "{ ...F } fragment F on Querry { periods }",
    "inline fragment type": "{ ... on Querry { periods } }",
    "enum value": "mutation { importData(kind: DEPARTMENT, file: null) { kind } }",
    "field of a subselection": "{ departments { cod } }",
}


@sqlite
@pytest.mark.parametrize("kind", HIDDEN_SUGGESTIONS)
def test_a_hidden_schema_suggests_no_names(make_client, database_url, engine, kind):
    hidden = make_client(database_url, engine, SALON_EXPOSE_SCHEMA="false")
    query = HIDDEN_SUGGESTIONS[kind]

    refused = [e["message"] for e in graphql(hidden, query)["errors"]]
    suggested = [e.message for e in validate(make_schema(Settings())._schema, parse(query))]

    assert any("Did you mean" in m for m in suggested), suggested  # the same mistake, exposed
    assert refused and not any("Did you mean" in m for m in refused), refused


@sqlite
def test_a_hidden_schema_suggests_no_enum_value_for_a_variable(make_client, database_url, engine):
    hidden = make_client(database_url, engine, SALON_EXPOSE_SCHEMA="false")
    query = "mutation ($k: ImportKind!, $f: Upload!) { importData(kind: $k, file: $f) { kind } }"

    messages = [e["message"] for e in graphql(hidden, query, k="DEPARTMENT", f=None)["errors"]]

    assert any("DEPARTMENT" in m for m in messages), messages
    assert not any("Did you mean" in m for m in messages), messages


def test_a_text_that_passed_is_not_validated_again_and_a_refused_one_is():
    validated = []

    class Record(ValidationRule):
        def enter_document(self, *args) -> None:
            validated.append(self.context.document.loc.source.body)

    passed = PassedQueries()
    schema = strawberry.Schema(
        _Query,
        extensions=[
            lambda: AddValidationRules([Record]),
            lambda: BoundedValidation(max_fields=10, hide_suggestions=False, passed=passed),
        ],
    )

    for _ in range(3):
        assert asyncio.run(schema.execute("{ hello }", root_value=_Query())).errors is None
        assert "Cannot query field" in asyncio.run(schema.execute("{ goodbye }")).errors[0].message

    assert validated.count("{ hello }") == 2  # the limits' pass, then the rules': once, not three times
    assert validated.count("{ goodbye }") == 6
