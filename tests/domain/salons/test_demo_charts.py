"""The demo's charts as HR reads them: every title in the salon's language, no code anywhere,
and the shared exchange drawing its host against each department that attends it."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from domain.models import Department, Salon
from domain.salons.content import SalonContent
from domain.salons.planning import plan_month

CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # a snake_case code
CJK = re.compile(r"[\u3400-\u9fff]")
SHOWN_FIELDS = ("series", "side")  # row fields whose values a legend shows


def stored(engine) -> dict[str, SalonContent]:
    """Each salon's content by its department's code."""
    with Session(engine) as session:
        codes = {d.id: d.code for d in session.exec(select(Department))}
        return {
            codes[s.department_id]: SalonContent.from_json(s.content) for s in session.exec(select(Salon))
        }


def strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return []


def titles(node) -> list[str]:
    """Every title a reader sees: the chart's, its axes' and legends', and the legend entries."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                found.append(value)
            elif key == "values" and isinstance(value, list):
                found += [row[f] for row in value for f in SHOWN_FIELDS if isinstance(row.get(f), str)]
            else:
                found += titles(value)
    elif isinstance(node, list):
        found += [t for item in node for t in titles(item)]
    return found


def test_every_chart_speaks_its_salons_language_without_codes(computed_demo):
    plan_month(computed_demo, "2026-11")

    charts = 0
    for code, content in stored(computed_demo).items():
        for locale in ("zh-CN", "en"):
            for chart in content.texts[locale].charts:
                charts += 1
                assert chart["title"].strip(), (code, locale)
                shown = titles(chart)
                if locale == "zh-CN":
                    assert CJK.search(chart["title"]), (code, chart["title"])
                else:
                    assert [t for t in shown if CJK.search(t)] == [], (code, chart["title"])
                assert [s for s in strings(chart) if CODE.search(s)] == [], (code, locale, chart["title"])
    assert charts >= 2 * 12  # three workshops' data packs, a trend, and the exchanges' charts


def test_the_shared_exchange_draws_the_host_and_both_attendees(computed_demo):
    plan_month(computed_demo, "2026-11")

    exchange = stored(computed_demo)["OPS"]  # OPS's exchange, SALES attending, CS hosting
    for locale, host, attendees in (
        ("zh-CN", "客服部", ("运营部", "销售部")),
        ("en", "Customer Service", ("Operations", "Sales")),
    ):
        texts = exchange.texts[locale]
        (chart,) = texts.charts
        series = {row["series"] for row in chart["data"]["values"]}
        assert {*attendees} <= series and any(host in s for s in series)
        assert chart["layer"][0]["encoding"]["y"]["axis"]["format"].endswith("%")  # the complaint rate
        for question in (texts.questions[0], texts.questions[-1]):
            assert all(name in question for name in attendees), question
    # fmt: skip


def test_a_plan_restricted_to_one_department_still_draws_its_host(computed_demo):
    plan_month(computed_demo, "2026-11", department_codes=["SALES"])

    (chart,) = stored(computed_demo)["SALES"].texts["en"].charts
    series = {row["series"] for row in chart["data"]["values"]}
    assert "Customer Service (host)" in series and "Sales" in series
    assert "Operations" not in series  # not planned: it does not attend
