"""``plugins.testing``: facts built as planning builds them, the real planner on a plugin, the
host's checks of a format, and pytest fixtures enabled with one line."""

from __future__ import annotations

import math
import textwrap
from types import SimpleNamespace

import pytest

from plugins import AgendaItem, Fit, SalonDraft, SalonFormat, Setting, hookimpl
from plugins.i18n import LOCALES
from plugins.testing import (
    company,
    context,
    department,
    draft_problems,
    fits,
    format_problems,
    metric,
    plan,
    sample_company,
    topic,
)

pytest_plugins = ["pytester"]


class Circle(SalonFormat):
    key = "circle"
    name = {"zh-CN": "圆桌", "en": "Circle"}
    description = {"zh-CN": "围坐讨论。", "en": "Talk in a circle."}

    def __init__(self, score: float = 1.0, title: str = "Circle") -> None:
        self.score, self.title = score, title

    def fit(self, topic, context):
        return Fit(self.score, "shortfalls suit a circle") if topic.kind == "shortfall" else 0.0

    def build(self, topic, context):
        return SalonDraft(
            title=f"{self.title} ({context.locale})" if self.title else "",
            agenda=[AgendaItem("Round", 40)],
            participants=[e.employee_id for e in context.employees()],
        )


# ---- builders ----------------------------------------------------------------------------------


def test_a_departments_figures_become_the_gap_planning_would_see():
    facts = company(
        department("OPS", people=10, values={"score": {"actual": 60.0, "target": 80.0, "previous": 70.0}}),
        department("LATE", people=4, values={"late": {"actual": 0.12, "target": 0.10, "previous": 0.10}}),
        metrics=[metric("late", direction="lower")],
    )

    score = next(g for g in facts.gaps if g.metric_code == "score")
    weight = 1 + math.log(1 + 10) / math.log(201)  # the gap engine's people weight
    assert (facts.month, facts.period, score.period) == ("2026-10", "2026-Q3", "2026-Q3")
    assert score.change == pytest.approx(60 / 70 - 1)  # relative, not direction-aware
    assert score.attainment == 0.75 and score.below_target and score.worsening
    assert score.severity == pytest.approx(100 * (0.25 + 10 / 70) * weight, abs=1e-4)
    late = next(g for g in facts.gaps if g.metric_code == "late")
    assert late.change == pytest.approx(0.2)  # up 20%: worse, as lower is better
    assert late.attainment == pytest.approx(0.10 / 0.12) and late.worsening
    assert facts.metrics["score"].direction == "higher"  # made with the defaults when not given


def test_people_wishes_drivers_and_top_performers():
    facts = company(
        department(
            "OPS", people=10, new_hires=4, teams=("A", "B"),
            values={"score": {"actual": 60.0}}, wishes={"craft": 3},
            drivers={"score": {"new_hire": 0.7, "A": 0.6}},
        ),
        metrics=[metric("score", skill="craft")],
    )  # fmt: skip

    staff = [facts.employees[f"OPS{i:02d}"] for i in range(1, 11)]
    assert [e.new_hire for e in staff] == [True] * 4 + [False] * 6
    assert [e.team for e in staff[:3]] == ["A", "B", "A"]
    assert facts.top_performers[("OPS", "score")] == ("OPS10",)  # the best 10%, at least one
    assert facts.wishes[("OPS", "craft")] == ("OPS08", "OPS09", "OPS10")
    (need,) = facts.growth_needs
    assert (need.share, need.wishers, need.headcount, need.metric_code, need.metric_average) == (
        0.3, 3, 10, "score", 60.0,
    )  # fmt: skip
    assert [(d.dimension, d.segment, d.people) for d in facts.drivers] == [
        ("tenure", "new_hire", 4),
        ("team", "A", 5),
    ]
    people = [v.value for v in facts.series if v.employee_id and v.period == "2026-09"]
    assert sum(people) / len(people) == pytest.approx(60.0)  # spread around the department's value


def test_a_topic_is_found_as_the_planner_ranks_it_or_the_topics_are_listed():
    facts = sample_company()

    assert topic(facts, "OPS", metric="score").gap.actual == 60.0
    assert topic(facts, "OPS", skill="craft").growth_need.share == 0.3
    with pytest.raises(LookupError, match="ACE has no topic about metric 'score'; its topics: none"):
        topic(facts, "ACE", metric="score")
    assert context(facts, "OPS", "zh-CN", {"minutes": 30}).settings["minutes"] == 30


# ---- the planner ---------------------------------------------------------------------------------


def test_plan_runs_the_real_planner_with_the_given_formats_and_plugins():
    def closing(draft, context):
        draft.questions.append(f"minutes: {context.settings['minutes']}")

    house = SimpleNamespace(
        register_settings=hookimpl(lambda: [Setting("minutes", int, 45, "")]),
        prepare_salon_draft=hookimpl(closing),
    )

    result = plan(formats=[Circle()], plugins={"house": house}, settings={"house": {"minutes": 30}})

    assert [s.format_key for s in result.salons] == ["circle"]  # OPS only: ACE has no topic
    assert result.draft("OPS", "zh-CN").title == "Circle (zh-CN)"
    assert result.draft("OPS").questions == ["minutes: 30"]
    assert result.problems == [] and result.formats["circle"].plugin == "formats"
    with pytest.raises(LookupError, match="no salon for ACE: no format fits any of its top topics"):
        result.salon("ACE")


class Visit(SalonFormat):
    """Hosted by the leader on the metric, like the built-in exchange: departments lagging it share one."""

    key = "visit"
    name = {"en": "Visit"}
    description = {"en": "Visit the leader."}

    def fit(self, topic, context):
        return 1.0 if topic.kind == "shortfall" else 0.0

    def build(self, topic, context):
        return SalonDraft(
            title=f"Visit ACE: {', '.join(context.attendees)}",
            agenda=[AgendaItem("Tour", 60)],
            participants=[e.employee_id for e in context.employees()],
            host_department="ACE",
            departments=list(context.attendees),
        )


def lagging_twice():
    """SALES (the wider gap) and OPS both lag ACE on score."""
    return company(
        department("SALES", "Sales", people=6, values={"score": {"actual": 50.0, "target": 80.0, "previous": 55.0}}),
        department("OPS", "Operations", people=4, values={"score": {"actual": 60.0, "target": 80.0, "previous": 62.0}}),
        department("ACE", "Aces", people=5, values={"score": {"actual": 90.0, "target": 80.0, "previous": 88.0}}),
        metrics=[metric("score", "Quality score")],
    )  # fmt: skip


def test_plan_shares_one_hosted_salon_among_the_departments_lagging_the_same_host_as_planning_does():
    facts = lagging_twice()

    result = plan(formats=[Visit()], facts=facts)

    assert [s.department_code for s in result.salons] == ["SALES"]  # the wider gap keeps the salon
    assert result.joined == {"OPS": "SALES"}
    shared = result.salon("OPS")
    assert shared is result.salon("SALES")
    assert result.draft("OPS").title == "Visit ACE: SALES, OPS"  # built again for both
    assert result.draft("OPS").departments == ["SALES", "OPS"]
    people = {e.employee_id for code in ("SALES", "OPS") for e in context(facts, code).employees()}
    assert set(result.draft("OPS").participants) == people
    alone = plan(formats=[Visit()], facts=facts, share=False)  # before the merging
    assert [s.department_code for s in alone.salons] == ["OPS", "SALES"] and alone.joined == {}
    assert alone.draft("OPS").title == "Visit ACE: OPS"


def test_the_built_in_exchange_is_shared_in_the_kit_and_names_every_attending_department():
    result = plan(facts=lagging_twice(), builtin=True, locales=["en"], default_locale="en")

    assert result.joined == {"OPS": "SALES"}
    draft = result.draft("OPS")
    assert draft.departments == ["SALES", "OPS"]
    assert any("Sales" in q and "Operations" in q for q in draft.questions), draft.questions


def test_plan_lets_a_format_compete_with_the_built_in_ones_and_contains_failures():
    assert plan(formats=[Circle(score=0.5)], builtin=True).salon("OPS").format_key == "data_review_workshop"
    broken = plan(formats=[Circle(title="")], builtin=True)

    assert broken.salon("OPS").format_key == "data_review_workshop"  # the next best pair
    assert broken.messages == [
        "plugin 'formats': format 'circle' built an invalid draft: title: must be a non-empty string"
    ]
    (entry, *_) = fits([Circle(score=0.5)], builtin=True)
    assert [(f.format_key, f.score) for f in entry.fits][:2] == [
        ("data_review_workshop", 1.0),
        ("cross_department_exchange", 0.9),
    ]
    assert next(f for f in entry.fits if f.format_key == "circle").reason == "shortfalls suit a circle"


# ---- checking a format ----------------------------------------------------------------------------


def test_format_problems_asks_what_planning_asks():
    class Sloppy(Circle):
        key = "sloppy"
        name = {"en": "Sloppy"}

        def build(self, topic, context):
            draft = super().build(topic, context)
            if context.locale == "en":
                draft.participants = draft.participants[:2]
                draft.presenters = ["nobody"]
            return draft

    class Nameless(Circle):
        key = ""

    class Chinese(Circle):
        key, name = "chinese", {"zh-CN": "圆桌", "zh_TW": "圓桌"}

    assert format_problems(Circle()) == []  # zh-CN and en only: readers of the other ten read English
    assert format_problems(Chinese()) == [
        "name: 'zh_TW' is not a locale the host ships (zh-CN, zh-TW, en, ja, ko, de, fr, es, pt-BR, ru, vi, th)",
        "name: no English text, the fallback of the languages it lacks (zh-TW, en, ja, ko, de, fr, es, pt-BR, ru, vi, th)",
    ]
    assert format_problems(Sloppy()) == [
        "OPS shortfall:score:craft: the en draft: presenters: 1 unknown employee id(s)",
        "OPS shortfall:late:: the en draft: presenters: 1 unknown employee id(s)",
    ]
    assert format_problems(Nameless()) == ["plugin 'formats': format Nameless needs a non-empty key"]
    draft = Circle().build(topic(sample_company(), "OPS", metric="score"), context(sample_company(), "OPS"))
    assert draft_problems(draft, context(sample_company(), "OPS")) == []


# ---- the fixtures, as an author enables them --------------------------------------------------------


def test_the_fixtures_come_with_one_line_in_conftest(pytester):
    pytester.makeconftest('pytest_plugins = ["plugins.testing.fixtures"]\n')
    pytester.makepyfile(
        textwrap.dedent(
            """
            from plugins import SalonDraft, SalonFormat


            class Talk(SalonFormat):
                key, name, description = "talk", "Talk", "Talk."

                def fit(self, topic, context):
                    return 1.0

                def build(self, topic, context):
                    return SalonDraft(title="Talk")


            def test_fixtures(salon_facts, salon_context, salon_topic, salon_plan):
                assert salon_context.department_code == "OPS" and salon_topic.metric_code == "score"
                assert salon_plan(formats=[Talk()]).salon("OPS").format_key == "talk"
                assert set(salon_facts.departments) == {"OPS", "ACE"}
            """
        )
    )

    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)


# ---- plugins that speak fewer languages than the host ------------------------------------------


class EnglishOnly(Circle):
    key, name, description = "english_only", {"en": "Circle"}, "Talk in a circle."

    def build(self, topic, context):
        draft = super().build(topic, context)
        draft.title = "Circle"  # whatever the reader's language
        return draft


class TwoLanguages(Circle):
    """Written when the host planned in zh-CN and en: any other locale is a KeyError."""

    key = "two_languages"

    def build(self, topic, context):
        draft = super().build(topic, context)
        draft.title = {"zh-CN": "圆桌", "en": "Circle"}[context.locale]
        return draft


def test_a_plugin_with_english_only_passes_and_is_planned_in_every_language():
    assert format_problems(EnglishOnly()) == []

    salon = plan([EnglishOnly()]).salon("OPS")

    assert sorted(salon.drafts) == sorted(LOCALES) and salon.drafts["th"].title == "Circle"


def test_a_plugin_failing_in_a_language_it_lacks_keeps_its_salon_and_the_kit_says_so(caplog):
    result = plan([TwoLanguages()])

    salon = result.salon("OPS")
    assert (
        list(salon.drafts) == ["zh-CN", "en"] and result.problems == []
    )  # the other ten read zh-CN (the default)
    assert result.draft("OPS", "zh-TW").title == "圆桌" and result.draft("OPS", "ja").title == "圆桌"
    assert "could not make the zh-TW draft of format 'two_languages'" in caplog.text
    assert format_problems(TwoLanguages())[0] == (
        "OPS shortfall:score:craft: build in zh-TW raised KeyError: 'zh-TW'"
    )
