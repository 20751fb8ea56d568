"""Each built-in format's fit and build, on a two-department organisation made by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.locales import LOCALES
from plugins.builtin.exchange import CrossDepartmentExchange
from plugins.builtin.skill_sharing import SkillSharing
from plugins.builtin.workshop import DataReviewWorkshop
from plugins.context import Context
from plugins.facts import DriverFacts
from plugins.validation import draft_problems
from tests.support.salon_facts import growth, make_facts, shortfall

WORKSHOP, EXCHANGE, SKILL = DataReviewWorkshop(), CrossDepartmentExchange(), SkillSharing()


@pytest.fixture
def facts():
    return make_facts()


@pytest.fixture
def context(facts):
    return Context(facts, "OPS", "en")


# -- data_review_workshop ------------------------------------------------------------------
def test_workshop_fits_shortfalls_only_and_more_with_evidence(facts, context):
    quiet = make_facts(drivers=(), themes=(), gaps=tuple(replace(g, change=0.0) for g in facts.gaps))

    assert WORKSHOP.fit(growth(facts), context).score == 0
    full = WORKSHOP.fit(shortfall(facts), context).score
    bare = WORKSHOP.fit(shortfall(quiet), Context(quiet, "OPS", "en")).score
    assert bare == 0.3  # a shortfall with nothing to look at
    # 3 mentions by 10 people (full marks from 2), new hires 70% of the gap for 40% of the
    # people (full marks from +20 points), 15% worse (full marks from 10%): every part counts
    assert full == 1.0
    weaker = make_facts(themes=(), drivers=(), gaps=tuple(replace(g, change=-0.05) for g in facts.gaps))
    assert WORKSHOP.fit(shortfall(weaker), Context(weaker, "OPS", "en")).score == pytest.approx(
        0.3 + 0.3 * 0.5
    )


def test_each_built_in_fit_says_why_in_every_locale(facts, context):
    weaker = make_facts(themes=(), drivers=(), gaps=tuple(replace(g, change=-0.05) for g in facts.gaps))
    lead = 82 / 80 / (60 / 80) - 1

    workshop = WORKSHOP.fit(shortfall(weaker), Context(weaker, "OPS", "en")).reason
    assert workshop["en"] == (
        "a shortfall to work through: feedback 0.00, concentrated drivers 0.00, deterioration 0.50 "
        "(each 0–1, on a base of 0.3)"
    )
    assert "恶化 0.50" in workshop["zh-CN"]
    assert WORKSHOP.fit(growth(facts), context).reason["en"] == "serves shortfalls only"
    exchange = EXCHANGE.fit(shortfall(facts), context).reason
    assert sorted(exchange) == sorted(LOCALES)  # said in every shipped language
    assert {locale: exchange[locale] for locale in ("en", "zh-CN")} == {
        "en": f"Aces leads on Quality score by {lead * 100:.0f}% (full marks from 30%)",
        "zh-CN": f"Aces在Quality score上领先 {lead * 100:.0f}%（30% 及以上满分）",
    }
    assert SKILL.fit(growth(facts), context).reason["en"] == (
        "30% of the department asked for Craft and Quality score has top performers to teach it, "
        "the department's top shortfall"
    )
    assert SKILL.fit(growth(facts), context).reason["zh-CN"].endswith("，且这正是部门最突出的差距")
    nobody = make_facts(top_performers={})
    assert SKILL.fit(growth(nobody), Context(nobody, "OPS", "en")).reason["en"] == (
        "nobody stands out on Quality score to teach Craft"
    )


def test_workshop_builds_mixed_groups_charts_and_numbered_questions(facts, context):
    draft = WORKSHOP.build(shortfall(facts), context)

    assert draft_problems(draft, context) == []
    assert draft.participants == [e.employee_id for e in context.employees()]
    assert sorted(map(len, draft.groups)) == [5, 5]
    for group in draft.groups:
        tenure = {facts.employees[p].new_hire for p in group}
        assert tenure == {True, False}  # new hires and experienced staff in each group
    assert [c.get("mark", "layer") for c in draft.charts] == ["bar", "layer", "rect"]
    bars = draft.charts[0]["data"]["values"]
    worse = "Worse than target"  # 55 and 54 against a target of 80, higher being better
    assert bars == [
        {"team": "A", "value": 55.0, "people": 5, "side": worse},
        {"team": "B", "value": 54.0, "people": 5, "side": worse},
    ]
    assert "Why did Quality score go from 70.6 to 60 (-15.0%)?" in draft.questions
    assert (
        "New hires are 40.0% of the people but account for 70.0% of the gap: what makes it hard for them?"
        in (draft.questions)
    )
    assert all("Quality score" in q for q in draft.questions if "Feedback" in q)


def test_an_even_split_of_the_gap_is_no_finding(facts):
    # new hires are 50% of the people and carry 50% of the gap: nothing to ask them about
    even = make_facts(
        drivers=(
            DriverFacts("OPS", "score", "tenure", "new_hire", 0.5, 5, 0.5, 1.0),
            DriverFacts("OPS", "score", "tenure", "experienced", 0.5, 5, 0.5, 1.0),
        )
    )
    context = Context(even, "OPS", "zh-CN")

    draft = WORKSHOP.build(shortfall(even), context)

    assert not any("新员工" in q for q in draft.questions)
    assert "驱动因素集中 0.00" in WORKSHOP.fit(shortfall(even), context).reason["zh-CN"]


def test_an_over_represented_segment_is_asked_about_with_its_share_of_the_people(facts, context):
    draft = WORKSHOP.build(shortfall(facts), context.in_locale("zh-CN"))

    assert "「新员工」占40.0%的人数，却贡献了70.0%的差距：他们遇到了什么困难？" in draft.questions


def test_workshop_speaks_chinese_in_a_chinese_context(facts, context):
    draft = WORKSHOP.build(shortfall(facts), context.in_locale("zh-CN"))

    assert draft.title == "数据复盘工作坊：Quality score"
    assert draft.charts[1]["title"] == "Quality score：近 12 个月与目标"


# -- cross_department_exchange --------------------------------------------------------------
def test_exchange_fits_when_another_department_clearly_leads(facts, context):
    lead = 82 / 80 / (60 / 80) - 1  # attainments compared

    assert EXCHANGE.fit(shortfall(facts), context).score == round(0.6 + 0.3 * min(1, lead / 0.3), 4)
    assert (
        EXCHANGE.fit(shortfall(facts, "ACE"), context.for_department("ACE")).score == 0
    )  # the leader itself
    close = make_facts(gaps=(facts.gaps[0], replace(facts.gaps[1], actual=63.0, attainment=63 / 80)))
    assert EXCHANGE.fit(shortfall(close), Context(close, "OPS", "en")).score == 0  # 5% ahead is not clearly


def test_exchange_is_hosted_by_the_leader_whose_top_performers_present(facts, context):
    draft = EXCHANGE.build(shortfall(facts), context)

    assert draft_problems(draft, context) == []
    assert draft.host_department == "ACE" and draft.departments == ["OPS"]
    assert draft.presenters == ["A04", "A03"]
    assert set(draft.participants) == {e.employee_id for e in context.employees()}
    assert draft.questions[0] == (
        "Aces is at 82 on Quality score, Operations at 60: which practices make the difference?"
    )


def test_exchange_falls_back_to_the_hosts_best_reviewed(facts):
    no_top = make_facts(top_performers={})
    draft = EXCHANGE.build(shortfall(no_top), Context(no_top, "OPS", "en"))

    assert draft.presenters == ["A04", "A03", "A02"]


# -- skill_sharing ----------------------------------------------------------------------------
def test_skill_sharing_fits_a_large_enough_need_with_top_performers(facts, context):
    assert SKILL.fit(growth(facts), context).score == 0.5 + 0.3 + 0.1  # linked to the top shortfall
    assert SKILL.fit(shortfall(facts), context).score == 0
    small = make_facts(growth_needs=(replace(facts.growth_needs[0], share=0.19),))
    assert SKILL.fit(growth(small), Context(small, "OPS", "en")).score == 0
    nobody = make_facts(top_performers={})
    assert SKILL.fit(growth(nobody), Context(nobody, "OPS", "en")).score == 0
    unlinked = make_facts(gaps=(replace(facts.gaps[0], metric_code="late"), facts.gaps[1]))
    assert SKILL.fit(growth(unlinked), Context(unlinked, "OPS", "en")).score == 0.8


def test_skill_sharing_top_performers_present_and_those_who_asked_attend(facts, context):
    draft = SKILL.build(growth(facts), context)

    assert draft_problems(draft, context) == []
    assert draft.presenters == ["O09"]
    assert draft.participants == ["O01", "O02"]  # O09 asked too, but presents
    assert draft.title == "Skill sharing: Craft"
    assert draft.questions[0].startswith(
        "The presenters reach 59 on Quality score against a department average of 60"
    )


def test_a_metric_recorded_only_at_department_level_gets_no_empty_charts(facts):
    department_level = make_facts(series=tuple(v for v in facts.series if v.employee_id is None))
    context = Context(department_level, "OPS", "en")

    draft = WORKSHOP.build(shortfall(department_level), context)

    assert [c.get("mark", "layer") for c in draft.charts] == ["layer"]  # the trend against its target
    assert all(c.get("data", {}).get("values", True) for c in draft.charts)
    nothing = make_facts(series=())
    assert WORKSHOP.build(shortfall(nothing), Context(nothing, "OPS", "en")).charts == []


def test_the_workshops_data_pack_reads_at_a_glance():
    from plugins.testing import company, department, metric
    from plugins.testing import context as kit_context
    from plugins.testing import topic as kit_topic

    teams = ("十组", "二组", "一组")  # dealt in turn: five people each
    facts = company(
        department("PROD", people=15, teams=teams, values={"defects": {"actual": 0.03, "target": 0.02, "previous": 0.02}}),
        metrics=[metric("defects", "Defect rate", unit="%", direction="lower")],
    )  # fmt: skip

    draft = WORKSHOP.build(kit_topic(facts, "PROD", metric="defects"), kit_context(facts, "PROD", "zh-CN"))

    bar, trend, heat = draft.charts
    assert bar["encoding"]["x"]["sort"] == ["一组", "二组", "十组"]
    sides = {row["team"]: (row["value"], row["side"]) for row in bar["data"]["values"]}
    assert {side for value, side in sides.values()} == {"好于目标", "差于目标"}
    assert all((side == "好于目标") == (value <= 0.02) for value, side in sides.values())  # a 2% ceiling
    assert (
        bar["encoding"]["y"]["axis"]["format"].endswith("%")
        and bar["encoding"]["y"]["title"] == "Defect rate"
    )
    assert {row["series"] for row in trend["data"]["values"]} == {"实际", "目标"}
    assert trend["layer"][0]["encoding"]["y"]["axis"]["format"].endswith("%")
    assert heat["encoding"]["color"]["scale"]["reverse"] is True  # more defects is worse: red
    assert heat["encoding"]["color"]["scale"]["domainMid"] == 0.02
