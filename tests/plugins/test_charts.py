"""The chart builders make charts people read at a glance: percent axes as percent, categories in
natural order, series told apart by a legend, red for worse and green for better in the metric's
direction."""

from __future__ import annotations

import pytest

from domain.locales import LOCALES
from plugins import charts
from plugins.builtin.workshop import DataReviewWorkshop
from plugins.i18n import translate
from plugins.testing import company, context, department, metric, topic

PERCENT_ROWS = [
    {"team": "二组", "value": 0.031},
    {"team": "十组", "value": 0.018},
    {"team": "一组", "value": 0.024},
]


def encodings(spec: dict) -> list[dict]:
    """The encodings of a spec and of its layers."""
    return [spec["encoding"]] if "encoding" in spec else [layer["encoding"] for layer in spec["layer"]]


# -- natural order ---------------------------------------------------------------------------
def test_chinese_numerals_and_arabic_digits_are_read_as_numbers():
    teams = ["十一组", "十组", "二组", "三组", "一组", "二十组"]

    assert charts.natural_order(teams) == ["一组", "二组", "三组", "十组", "十一组", "二十组"]
    assert charts.natural_order(["Team 10", "Team 2", "Team 1"]) == ["Team 1", "Team 2", "Team 10"]
    assert charts.natural_key("一百零五组") < charts.natural_key("一百一十组")


def test_the_folded_row_comes_last_and_repeats_once():
    assert charts.natural_order(["Other", "B2", "B10", "B2"], last=["Other"]) == ["B2", "B10", "Other"]


def test_a_bar_chart_sorts_its_categories_naturally_not_alphabetically():
    rows = [{"team": team, "value": 1.0} for team in ("二组", "十一组", "三组", "一组")]

    spec = charts.bar("t", rows, "team", "value", "班组", "不良率")

    assert spec["encoding"]["x"]["sort"] == ["一组", "二组", "三组", "十一组"]
    assert sorted(r["team"] for r in rows) == ["一组", "三组", "二组", "十一组"]  # what Vega would do alone


# -- percent -----------------------------------------------------------------------------------
def test_a_percent_metric_has_percent_axes_and_tooltips():
    bar = charts.bar("t", PERCENT_ROWS, "team", "value", "Team", "Defect rate", unit="%")
    line = charts.line_with_target(
        "t", [{"month": "2026-09", "actual": 0.025, "target": 0.02}], "month", "actual", "target",
        "Month", "Actual", "Target", unit="%",
    )  # fmt: skip
    heat = charts.heatmap(
        "t", [{"m": "2026-09", "e": "E1", "v": 0.02}], "m", "e", "v", "M", "E", "V", unit="%"
    )

    assert bar["encoding"]["y"]["axis"]["format"].endswith("%")
    assert [t["format"] for t in bar["encoding"]["tooltip"] if t.get("type") == "quantitative"] == [".1%"]
    assert all(e["y"]["axis"]["format"].endswith("%") for e in encodings(line))
    assert [t.get("format") for t in line["layer"][1]["encoding"]["tooltip"]][-1] == ".1%"
    assert heat["encoding"]["color"]["legend"]["format"].endswith("%")
    assert heat["encoding"]["tooltip"][-1]["format"] == ".1%"


def test_other_units_keep_their_figures():
    spec = charts.bar("t", [{"team": "A", "value": 26.3}], "team", "value", "Team", "Hours", unit="小时")

    assert "format" not in spec["encoding"]["y"]["axis"]


# -- units in axis titles -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "unit", "locale", "title"),
    [
        ("培训时长", "小时", "zh-CN", "培训时长（小时）"),
        ("Training hours", "h", "en", "Training hours (hours)"),
        ("Schulungsstunden", "小时", "de", "Schulungsstunden (Std.)"),
        ("研修時間", "hours", "ja", "研修時間（時間）"),
        ("Время ответа", "分钟", "ru", "Время ответа (мин)"),
        ("人均成本", "元", "zh-CN", "人均成本（¥）"),  # a currency: its symbol in the locale
        ("Defects", "件", "en", "Defects (件)"),  # no CLDR unit: as imported
        ("投诉率", "%", "zh-CN", "投诉率"),  # the percent ticks say it
        ("Score", "", "en", "Score"),
    ],
)
def test_a_value_title_says_the_unit_in_the_readers_language(name, unit, locale, title):
    assert charts.value_title(name, unit, locale) == title


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_names_the_hour_in_its_own_words_beside_the_metric(locale):
    said = charts.value_title("M", "小时", locale)

    assert said.startswith("M") and len(said) > len("M") + 2
    assert ("小时" in said) == (locale == "zh-CN")  # only Simplified Chinese writes 小时


@pytest.mark.parametrize(
    ("locale", "axis"), [("zh-CN", "培训时长（小时）"), ("en", "Training hours (hours)")]
)
def test_the_workshops_charts_title_their_value_axes_with_the_unit(locale, axis):
    facts = company(
        department(
            "OPS", "Operations", people=10, new_hires=4,
            values={"hours": {"actual": 6.0, "target": 10.0, "previous": 8.0}},
            feedback={"hours": {"onboarding": 3}},
        ),
        metrics=[metric("hours", {"zh-CN": "培训时长", "en": "Training hours"}[locale], unit="小时")],
    )  # fmt: skip

    draft = DataReviewWorkshop().build(topic(facts, "OPS", metric="hours"), context(facts, "OPS", locale))

    titles = [enc["y"]["title"] for spec in draft.charts[:2] for enc in encodings(spec)]
    titles.append(draft.charts[2]["encoding"]["color"]["title"])  # the heatmap's legend
    assert len(draft.charts) == 3 and set(titles) == {axis}


def test_a_percent_metrics_axis_keeps_the_bare_name():
    facts = company(
        department("OPS", "Operations", people=10, values={"late": {"actual": 0.12, "target": 0.10, "previous": 0.11}},
                   feedback={"late": {"traffic": 3}}),
        metrics=[metric("late", "Late deliveries", unit="%", direction="lower")],
    )  # fmt: skip

    draft = DataReviewWorkshop().build(topic(facts, "OPS", metric="late"), context(facts, "OPS", "en"))

    assert {enc["y"]["title"] for spec in draft.charts[:2] for enc in encodings(spec)} == {"Late deliveries"}


# -- legends -----------------------------------------------------------------------------------
@pytest.mark.parametrize("locale", ["zh-CN", "en", "de"])
def test_actual_and_target_are_two_named_series_in_a_legend(locale):
    actual, target = translate("chart.actual", locale), translate("chart.target", locale)
    rows = [{"month": f"2026-0{m}", "actual": 0.02 + m / 1000, "target": 0.02} for m in range(1, 4)]

    spec = charts.line_with_target(
        "t", rows, "month", "actual", "target", "Month", actual, target, unit="%", axis_title="Defect rate"
    )

    line = spec["layer"][0]["encoding"]
    assert {row["series"] for row in spec["data"]["values"]} == {actual, target}
    assert line["color"]["field"] == "series" and line["color"]["scale"]["domain"] == [actual, target]
    assert line["strokeDash"]["scale"]["range"] == [[1, 0], [4, 4]]  # the target dashed
    assert line["y"]["title"] == "Defect rate"
    assert len({row["value"] for row in spec["data"]["values"] if row["series"] == target}) == 1


def test_months_without_a_target_draw_no_target_point():
    rows = [
        {"month": "2026-01", "actual": 1.0, "target": None},
        {"month": "2026-02", "actual": 2.0, "target": 3.0},
    ]

    spec = charts.line_with_target("t", rows, "month", "actual", "target", "M", "Actual", "Target")

    assert [r["series"] for r in spec["data"]["values"]] == ["Actual", "Actual", "Target"]


def test_one_line_per_department_the_host_bold_and_first():
    rows = [
        {"month": "2026-09", "series": name, "value": value}
        for name, value in (("Team 10", 0.1), ("Team 2", 0.12), ("Host", 0.08), ("Target", 0.09))
    ]

    spec = charts.lines(
        "t", rows, "month", "value", "series", "Month", "Rate", unit="%",
        order=["Host", *charts.natural_order(["Team 10", "Team 2"]), "Target"], highlight=["Host"], dashed=["Target"],
        series_title="Department",
    )  # fmt: skip

    line = spec["layer"][0]["encoding"]
    assert line["color"]["scale"]["domain"] == ["Host", "Team 2", "Team 10", "Target"]
    assert line["color"]["legend"]["title"] == "Department"
    assert line["strokeWidth"]["condition"]["test"] == {"field": "series", "oneOf": ["Host"]}
    assert line["strokeWidth"]["condition"]["value"] > line["strokeWidth"]["value"]
    assert spec["layer"][1]["transform"] == [
        {"filter": {"field": "series", "oneOf": ["Host", "Team 2", "Team 10"]}}
    ]


# -- colours -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("direction", "better"), [("higher", {"二组"}), ("lower", {"十组", "一组"})]
)  # 二组 at 3.1%, 十组 at 1.8%, 一组 at 2.4%: against 2.5%
def test_bars_are_green_on_the_good_side_of_the_reference_and_red_on_the_bad(direction, better):
    spec = charts.bar(
        "t", PERCENT_ROWS, "team", "value", "班组", "不良率", unit="%", reference=0.025, direction=direction,
        sides=("好于目标", "差于目标"),
    )  # fmt: skip

    sides = {row["team"]: row["side"] for row in spec["data"]["values"]}
    assert {team for team, side in sides.items() if side == "好于目标"} == better
    assert spec["encoding"]["color"]["scale"] == {
        "domain": ["好于目标", "差于目标"], "range": [charts.BETTER, charts.WORSE],
    }  # fmt: skip


def test_meeting_the_reference_counts_as_the_good_side():
    assert charts.better_side(0.02, 0.02, "lower") and charts.better_side(80, 80, "higher")


def test_bars_without_a_reference_are_one_neutral_colour():
    spec = charts.bar("t", PERCENT_ROWS, "team", "value", "Team", "Rate")

    assert spec["encoding"]["color"] == {"value": charts.NEUTRAL}
    assert all("side" not in row for row in spec["data"]["values"])


def test_a_heatmap_runs_red_to_green_and_reverses_for_lower_is_better():
    def scale(direction):
        spec = charts.heatmap(
            "t",
            [{"m": "2026-09", "e": "E1", "v": 0.02}],
            "m",
            "e",
            "v",
            "M",
            "E",
            "V",
            direction=direction,
            midpoint=0.02,
        )
        return spec["encoding"]["color"]["scale"]

    assert scale("higher") == {"scheme": "redyellowgreen", "reverse": False, "domainMid": 0.02}
    assert scale("lower") == {"scheme": "redyellowgreen", "reverse": True, "domainMid": 0.02}


def test_specs_name_the_vega_lite_5_schema_and_keep_their_title():
    spec = charts.bar("投诉率：按班组", PERCENT_ROWS, "team", "value", "班组", "投诉率")

    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    assert spec["title"] == "投诉率：按班组"
