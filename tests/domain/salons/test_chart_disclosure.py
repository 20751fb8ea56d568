"""Charts with a row per person: whole for who may see everyone, segment means for the others."""

from __future__ import annotations

from domain.disclosure import MIN_SEGMENT
from domain.salons.disclosure import Labels, disclose

TEAMS = (
    {f"A{i}": "assembly" for i in range(5)}
    | {"B0": "boxing", "B1": "boxing"}
    | {f"C{i}": "coating" for i in range(3)}
)


def heatmap(rows: list[dict]) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "defects: employee × month",
        "data": {"values": rows},
        "mark": "rect",
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": "Month"},
            "y": {"field": "employee", "type": "nominal", "title": "Employee"},
            "color": {"field": "value", "type": "quantitative", "title": "defects"},
        },
    }


def cells(people, month="2026-09", value=lambda person: float(int(person[1:]) + 1)) -> list[dict]:
    return [{"month": month, "employee": person, "value": value(person)} for person in people]


def by_segment(spec: dict) -> dict[tuple[str, str], dict]:
    return {(row["month"], row["segment"]): row for row in spec["data"]["values"]}


def test_a_chart_without_people_is_served_as_it_is():
    bar = {"title": "by team", "data": {"values": [{"team": "assembly", "value": 1.0}]}, "mark": "bar"}

    served = disclose(bar, TEAMS, visible=set())

    assert served.spec == bar and served.shown == frozenset()


def test_who_may_see_everyone_in_it_gets_it_whole_and_it_says_whom_it_showed():
    spec = heatmap(cells(TEAMS))

    served = disclose(spec, TEAMS, visible=set(TEAMS))

    assert served.spec == spec and served.shown == set(TEAMS)


def test_others_get_team_means_small_teams_folded_into_other_and_the_mean_of_all():
    spec = heatmap(cells(TEAMS))

    served = disclose(
        spec, TEAMS, visible=set(), labels=Labels(segment="Team", other="Other", everyone="All")
    )

    rows = by_segment(served.spec)
    assert set(rows) == {("2026-09", "assembly"), ("2026-09", "Other"), ("2026-09", "All")}
    assert rows[("2026-09", "assembly")] == {
        "month": "2026-09", "segment": "assembly", "value": 3.0, "people": 5,
    }  # fmt: skip
    assert rows[("2026-09", "Other")]["value"] == (1 + 2 + 1 + 2 + 3) / 5  # boxing and coating together
    assert rows[("2026-09", "All")] == {
        "month": "2026-09",
        "segment": "All",
        "value": (15 + 3 + 6) / 10,
        "people": 10,
    }
    assert served.spec["encoding"]["y"] == {
        "field": "segment", "type": "nominal", "title": "Team", "sort": ["assembly", "Other", "All"],
    }  # fmt: skip
    assert served.shown == frozenset()
    assert not {row.get("employee") for row in served.spec["data"]["values"]} - {None}
    assert spec["data"]["values"][0]["employee"] == "A0"  # the stored spec is not changed


def test_other_is_dropped_when_the_small_teams_together_are_still_too_few():
    people = [p for p in TEAMS if p[0] in "AB"]

    served = disclose(heatmap(cells(people)), TEAMS, visible=set())

    assert {segment for _, segment in by_segment(served.spec)} == {"assembly", "All"}


def test_a_mean_of_fewer_people_in_one_month_is_not_served():
    rows = cells(TEAMS) + cells(["A0", "A1", "A2"], month="2026-10")

    served = disclose(heatmap(rows), TEAMS, visible=set())

    assert all(row["people"] >= MIN_SEGMENT for row in served.spec["data"]["values"])
    assert not [month for month, _ in by_segment(served.spec) if month == "2026-10"]


def test_the_viewer_keeps_their_own_rows_against_the_aggregates():
    served = disclose(heatmap(cells(TEAMS)), TEAMS, visible={"B1"})

    rows = by_segment(served.spec)
    assert rows[("2026-09", "B1")] == {"month": "2026-09", "segment": "B1", "value": 2.0, "people": 1}
    assert {segment for _, segment in rows} == {"assembly", "Other", "All", "B1"}
    assert served.shown == {"B1"}


def test_the_rule_follows_the_values_not_a_field_name_and_reaches_into_layers():
    rows = [{"who": p, "period": "Q3", "score": 1.0, "target": 2.0} for p in TEAMS]
    spec = {
        "title": "a plugin's chart",
        "data": {"values": rows},
        "layer": [
            {"mark": "point", "encoding": {"y": {"field": "who"}, "x": {"field": "score"}}},
            {"mark": "tick", "encoding": {"y": {"field": "who"}, "x": {"field": "target"}}},
        ],
    }

    served = disclose(spec, TEAMS, visible=set())

    teams = ["assembly", "Other", "All"]  # in natural order, folded and all at the end
    assert [layer["encoding"]["y"] for layer in served.spec["layer"]] == [
        {"field": "segment", "sort": teams}
    ] * 2
    assert {r["segment"] for r in served.spec["data"]["values"]} == {"assembly", "Other", "All"}
    assert all(
        set(r) == {"period", "segment", "score", "target", "people"} for r in served.spec["data"]["values"]
    )


def test_a_person_named_outside_the_rows_withholds_the_chart():
    spec = heatmap(cells(TEAMS))
    spec["encoding"]["y"]["scale"] = {"domain": sorted(TEAMS)}

    assert disclose(spec, TEAMS, visible=set()).spec is None
    assert disclose(spec, TEAMS, visible=set(TEAMS)).spec == spec


def test_teams_come_in_natural_order_and_the_viewers_own_row_last():
    teams = {f"P{i:02d}": team for i, team in enumerate(["十组"] * 5 + ["二组"] * 5 + ["一组"] * 5)}
    spec = heatmap(cells(teams, value=lambda person: 1.0))

    served = disclose(
        spec, teams, visible={"P00"}, labels=Labels(segment="班组", other="其他", everyone="全体")
    )

    assert served.spec["encoding"]["y"]["sort"] == ["一组", "二组", "十组", "全体", "P00"]
