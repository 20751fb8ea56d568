"""Sums compared across departments of different sizes: per head, and said so (issue 19, item 2)."""

from __future__ import annotations

import pytest

from plugins.builtin.exchange import CrossDepartmentExchange
from plugins.context import Context
from plugins.facts import DepartmentFacts, MetricFacts
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
