"""Page sizes on the lists a screen shows the top of: the HR overview runs once it asks for pages."""

from __future__ import annotations

from tests.api.conftest import graphql
from tests.api.test_gaps_api import recomputed  # noqa: F401  (fixture)

OVERVIEW = """query ($gaps: Int, $drivers: Int, $themes: Int) { departments { code
  gaps(period: "2026-Q3", first: $gaps) { severity metric { code }
    drivers(first: $drivers) { dimension segment share } feedback(first: $themes) { theme count } } } }"""


def test_the_hr_overview_is_refused_unpaged_and_runs_paged(recomputed):  # noqa: F811
    unpaged = recomputed.post("/graphql", json={"query": OVERVIEW}).json()
    assert "estimated cost" in unpaged["errors"][0]["message"]

    paged = graphql(recomputed, OVERVIEW, gaps=3, drivers=2, themes=2)
    assert "errors" not in paged
    departments = paged["data"]["departments"]
    assert any(d["gaps"] for d in departments)
    for department in departments:
        assert len(department["gaps"]) <= 3
        for gap in department["gaps"]:
            assert len(gap["drivers"]) <= 2 and len(gap["feedback"]) <= 2


def test_first_keeps_the_top_of_the_list(recomputed):  # noqa: F811
    query = (
        'query ($n: Int) { department(code: "STORE") { gaps(period: "2026-Q3", first: $n) { severity } } }'
    )
    everything = graphql(recomputed, query)["data"]["department"]["gaps"]
    top = graphql(recomputed, query, n=1)["data"]["department"]["gaps"]
    assert len(everything) > 1 and top == everything[:1]
    assert graphql(recomputed, query, n=0)["data"]["department"]["gaps"] == []


PAGE = """query ($after: String) { department(code: "STORE") {
  employeesConnection(first: 3, after: $after) { totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id employeeId } } } } }"""


def test_employees_page_by_page_are_the_employees_list(recomputed):  # noqa: F811
    everyone = graphql(recomputed, '{ department(code: "STORE") { employees { employeeId } } }')
    expected = [e["employeeId"] for e in everyone["data"]["department"]["employees"]]
    seen, after, pages = [], None, 0
    while True:
        connection = graphql(recomputed, PAGE, after=after)["data"]["department"]["employeesConnection"]
        info = connection["pageInfo"]
        assert connection["totalCount"] == len(expected) and len(connection["edges"]) <= 3
        assert info["hasPreviousPage"] == (after is not None)
        seen += [edge["node"]["employeeId"] for edge in connection["edges"]]
        pages += 1
        if not info["hasNextPage"]:
            break
        assert info["endCursor"] == connection["edges"][-1]["cursor"]
        after = info["endCursor"]
    assert seen == expected and pages == -(-len(expected) // 3)


def test_a_cursor_this_list_did_not_give_is_refused(recomputed):  # noqa: F811
    errors = graphql(recomputed, PAGE, after="not-a-cursor")["errors"]
    assert errors[0]["message"].startswith("after: not a cursor of this list")
