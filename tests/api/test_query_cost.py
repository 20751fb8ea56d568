"""QueryCost on a small schema of its own: page-size arguments, defaults, variables, and the estimate."""

from __future__ import annotations

import strawberry

from api.connections import DEFAULT_PAGE, PAGE_SIZE, Connection, page
from api.limits import LIST_ESTIMATE, QueryCost
from api.validation import PassedQueries


@strawberry.type
class Entry:
    id: int

    @strawberry.field
    def related(self) -> list[Entry]:
        return []


@strawberry.type
class Query:
    @strawberry.field
    def log(self, last: int = 100) -> list[Entry]:
        return [Entry(id=i) for i in range(min(last, 3))]


def _schema(max_cost: int = 10_000, max_page_size: int = 500) -> strawberry.Schema:
    return strawberry.Schema(Query, extensions=[lambda: QueryCost(max_cost, max_page_size)])


def test_a_page_size_over_the_cap_is_refused_whether_literal_or_variable():
    schema = _schema(max_page_size=500)

    literal = schema.execute_sync("{ log(last: 501) { id } }")
    variable = schema.execute_sync("query($n: Int!) { log(last: $n) { id } }", variable_values={"n": 10_000})
    negative = schema.execute_sync("{ log(last: -1) { id } }")
    allowed = schema.execute_sync("{ log(last: 500) { id } }")

    assert literal.errors[0].message == "Query.log(last: 501) asks for more than the page-size limit of 500"
    assert "10000" in variable.errors[0].message and variable.data is None
    assert "cannot be negative" in negative.errors[0].message
    assert allowed.errors is None and len(allowed.data["log"]) == 3


def test_the_cost_multiplies_page_sizes_and_list_estimates():
    # log(last: 10) × (itself + id + related × (itself + id)) = 10 × (1 + 1 + E × 2)
    cost = 10 * (2 + LIST_ESTIMATE * 2)

    at_limit = _schema(max_cost=cost).execute_sync("{ log(last: 10) { id related { id } } }")
    over = _schema(max_cost=cost - 1).execute_sync("{ log(last: 10) { id related { id } } }")
    default_page = _schema(max_cost=100 * 2 - 1).execute_sync("{ log { id } }")

    assert at_limit.errors is None
    assert f"estimated cost {cost:,} is above the limit of {cost - 1:,}" in over.errors[0].message
    assert "estimated cost 200" in default_page.errors[0].message  # the argument's default, 100


@strawberry.type
class Paged:
    @strawberry.field
    def entries(self, first: PAGE_SIZE = DEFAULT_PAGE, after: str | None = None) -> Connection[Entry]:
        return page([Entry(id=i) for i in range(5)], first, after, lambda e: e)


def test_a_connection_counts_its_page_once_for_its_edges():
    schema = strawberry.Schema(Paged, extensions=[lambda: QueryCost(10_000, 500)])
    query = "{ entries(first: 10) { totalCount pageInfo { hasNextPage } edges { cursor node { id } } } }"
    # entries (1) + totalCount (1) + pageInfo (1 + 1) + edges × 10 × (1 + cursor 1 + node (1 + id 1)) = 44
    cost = 1 + 1 + 2 + 10 * (1 + 1 + 2)
    at_limit = strawberry.Schema(Paged, extensions=[lambda: QueryCost(cost, 500)]).execute_sync(query)
    over = strawberry.Schema(Paged, extensions=[lambda: QueryCost(cost - 1, 500)]).execute_sync(query)
    assert at_limit.errors is None and at_limit.data["entries"]["totalCount"] == 5
    assert f"estimated cost {cost:,}" in over.errors[0].message
    assert (
        "page-size limit" in schema.execute_sync("{ entries(first: 501) { totalCount } }").errors[0].message
    )


@strawberry.type
class Optional:
    @strawberry.field
    def top(self, first: int | None = None) -> list[Entry]:
        return [Entry(id=i) for i in range(5)][:first]


def test_an_optional_page_size_left_out_counts_as_the_list_estimate():
    schema = strawberry.Schema(Optional, extensions=[lambda: QueryCost(LIST_ESTIMATE * 2, 500)])
    assert schema.execute_sync("{ top { id } }").errors is None  # E × (1 + id)
    over = schema.execute_sync("{ top(first: 30) { id } }")
    assert f"estimated cost {30 * 2:,}" in over.errors[0].message


def test_an_estimate_that_read_no_variable_is_made_once_per_text():
    passed = PassedQueries()
    walks = []
    schema = strawberry.Schema(Query, extensions=[lambda: _Counting(walks, passed)])
    fixed = (
        "query($show: Boolean!) { log(last: 10) { id @include(if: $show) } }"  # a variable, not a page size
    )
    paged = "query($n: Int!) { log(last: $n) { id } }"

    for _ in range(3):
        assert schema.execute_sync(fixed, variable_values={"show": True}).errors is None
    for n in (10, 20, 600):
        schema.execute_sync(paged, variable_values={"n": n})
    refused = schema.execute_sync(paged, variable_values={"n": 600})

    assert walks.count(fixed) == 1  # the same text and operation: the same estimate
    assert walks.count(paged) == 4  # its cost depends on $n: estimated each time
    assert "page-size limit of 500" in refused.errors[0].message


class _Counting(QueryCost):
    def __init__(self, walks: list[str], passed: PassedQueries) -> None:
        super().__init__(10_000, 500, passed)
        self.walks = walks

    def on_execute(self):
        key = (self.execution_context.query, self.execution_context.operation_name)
        if key not in self.passed:
            self.walks.append(self.execution_context.query)
        yield from super().on_execute()
