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
    query = 'query ($n: Int) { department(code: "STORE") { gaps(period: "2026-Q3", first: $n) { severity } } }'
    everything = graphql(recomputed, query)["data"]["department"]["gaps"]
    top = graphql(recomputed, query, n=1)["data"]["department"]["gaps"]
    assert len(everything) > 1 and top == everything[:1]
    assert graphql(recomputed, query, n=0)["data"]["department"]["gaps"] == []
