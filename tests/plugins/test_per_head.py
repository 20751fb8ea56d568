"""Sums compared across departments of different sizes: per head, and said so (issue 19, item 2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from plugins.builtin.exchange import CrossDepartmentExchange
from plugins.context import Context
from plugins.facts import DepartmentFacts, MetricFacts, ValueFacts
from tests.support.salon_facts import employee, gap, make_facts, shortfall

EXCHANGE = CrossDepartmentExchange()


@pytest.fixture
def facts():
    """BIG: 30 people, 300 training hours (10 a head); SMALL: 12 people, 180 hours (15 a head)."""
    staff = [employee(f"B{i:02d}", "BIG", 900, 70) for i in range(30)]
    staff += [employee(f"S{i:02d}", "SMALL", 900, 70) for i in range(12)]
    return make_facts(
        departments={"BIG": DepartmentFacts("BIG", "Big"), "SMALL": DepartmentFacts("SMALL", "Small")},
        metrics={"hours": MetricFacts("hours", "Training hours", "h", "higher", None, "sum")},
        employees={e.employee_id: e for e in staff},
        gaps=(
            gap("BIG", "hours", 300.0, None, -0.1, 30.0, below_target=True),
            gap("SMALL", "hours", 180.0, None, 0.0, 10.0),
        ),
        drivers=(),
        themes=(),
        growth_needs=(),
        top_performers={},
        wishes={},
        series=(),
    )


def test_sum_standings_rank_per_head_not_by_the_larger_total(facts):
    context = Context(facts, "BIG", "en")

    assert [g.department_code for g in context.standings("hours")] == ["SMALL", "BIG"]
    assert context.per_head(facts.gaps[0]) == pytest.approx(10.0)
    assert context.per_head(facts.gaps[1]) == pytest.approx(15.0)


def test_the_exchange_compares_per_head_and_says_so(facts):
    topic = shortfall(facts, "BIG", "hours")
    context = Context(facts, "BIG", "en")

    fit = EXCHANGE.fit(topic, context)
    draft = EXCHANGE.build(topic, context)
    chinese = EXCHANGE.build(topic, context.in_locale("zh-CN"))

    assert fit.score == pytest.approx(0.6 + 0.3 * min(1.0, (15 / 10 - 1) / 0.3))  # a 50% lead per head
    assert draft.host_department == "SMALL"
    assert draft.questions[0] == (
        "Small is at 15 hr per head on Training hours, Big at 10 hr: which practices make the difference?"
    )
    assert chinese.questions[0].startswith("Small的人均Training hours为 15小时，Big为 10小时")


def test_a_department_of_nobody_is_not_compared_on_a_sum(facts):
    alone = make_facts(
        departments=facts.departments, metrics=facts.metrics, gaps=facts.gaps, drivers=(), themes=(),
        growth_needs=(), top_performers={}, wishes={}, series=(),
        employees={k: e for k, e in facts.employees.items() if e.department_code == "BIG"},
    )  # fmt: skip
    context = Context(alone, "BIG", "en")

    assert [g.department_code for g in context.standings("hours")] == ["BIG"]
    assert EXCHANGE.fit(shortfall(alone, "BIG", "hours"), context).score == 0


def grown(facts, small_hired: date = date(2020, 1, 1)):
    """BIG grew from 20 to 30 people in August (10 hired on 2026-08-15) and trained 200 hours in
    July, 300 in August and September: 10 a head every month. SMALL: 12 people hired on
    ``small_hired``, 180 hours a month (15 a head)."""
    staff = [employee(f"B{i:02d}", "BIG", 900, 70) for i in range(20)]
    staff += [replace(employee(f"N{i:02d}", "BIG", 45, 70), hire_date=date(2026, 8, 15)) for i in range(10)]
    staff += [replace(employee(f"S{i:02d}", "SMALL", 900, 70), hire_date=small_hired) for i in range(12)]
    months = ("2026-07", "2026-08", "2026-09")
    series = [
        ValueFacts("BIG", "hours", m, v, target=330.0)
        for m, v in zip(months, (200.0, 300.0, 300.0), strict=True)
    ]
    series += [ValueFacts("SMALL", "hours", m, 180.0) for m in months]
    return replace(facts, employees={e.employee_id: e for e in staff}, series=tuple(series))


def trend(draft) -> dict:
    (chart,) = [c for c in draft.charts if "layer" in c]
    return chart


def values(chart, series: str) -> list[float]:
    return [r["value"] for r in chart["data"]["values"] if r["series"] == series]


def test_each_month_is_divided_by_that_months_people_when_a_department_grew(facts):
    facts = grown(facts)
    context = Context(facts, "BIG", "en")

    chart = trend(EXCHANGE.build(shortfall(facts, "BIG", "hours"), context))
    chinese = trend(EXCHANGE.build(shortfall(facts, "BIG", "hours"), context.in_locale("zh-CN")))

    assert [context.headcount_in(m, "BIG") for m in ("2026-07", "2026-08", "2026-09")] == [20, 30, 30]
    assert values(chart, "Big") == pytest.approx([10.0, 10.0, 10.0])  # not 6.67 in July (200 / 30)
    assert values(chart, "Small (host)") == pytest.approx([15.0, 15.0, 15.0])
    assert values(chart, "Target") == pytest.approx([16.5, 11.0, 11.0])  # 330 over 20, then 30 people
    assert (
        chart["title"] == "Training hours per head by department (people employed each month): last 12 months"
    )
    assert chinese["title"] == "人均Training hours（按各月在职人数）：各部门近 12 个月"
    assert chart["layer"][0]["encoding"]["y"]["title"] == "Training hours (hours)"


def test_todays_headcount_is_used_and_said_when_hire_dates_do_not_reach_back(facts):
    facts = grown(facts, small_hired=date(2026, 8, 1))  # SMALL's list starts after its July value
    context = Context(facts, "BIG", "en")

    chart = trend(EXCHANGE.build(shortfall(facts, "BIG", "hours"), context))

    assert context.headcount_in("2026-07", "SMALL") == 0
    assert values(chart, "Big") == pytest.approx([200 / 30, 10.0, 10.0])
    assert values(chart, "Small (host)") == pytest.approx([15.0, 15.0, 15.0])
    assert chart["title"] == "Training hours per head by department (today's headcount): last 12 months"
