"""The retrospective circle, tested with the host's kit (``plugins.testing``) — no database, no
server: the facts are built as planning builds them and the host's own planner runs."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest
from plugins.registry import get_plugin_manager, load_formats
from plugins.settings import PluginSettingsError
from plugins.testing import company, context, department, format_problems, plan, topic

import salon_retro
from salon_retro import RetrospectiveCircle
from salon_retro.format import circles, split
from salon_retro.texts import TEXTS

PLUGIN_NAME = "retrospective_circle"  # its entry point's name: what the host calls it
PLUGIN = {PLUGIN_NAME: salon_retro}  # registered as installed


def test_the_format_passes_the_hosts_checks():
    assert format_problems(RetrospectiveCircle(), plugins=PLUGIN) == []
    assert (
        format_problems(RetrospectiveCircle(), plugins=PLUGIN, settings={PLUGIN_NAME: {"minutes": 20}}) == []
    )


def test_every_text_is_in_both_languages():
    assert [key for key, texts in TEXTS.items() if set(texts) != {"zh-CN", "en"}] == []


def test_it_fits_a_shortfall_that_got_worse_and_more_with_feedback(salon_facts, salon_context):
    fit = RetrospectiveCircle().fit(topic(salon_facts, "OPS", metric="score"), salon_context)
    quiet = RetrospectiveCircle().fit(topic(salon_facts, "OPS", metric="late"), salon_context)

    assert fit.score == 0.9  # 3 mentions by 10 people: full marks from 2
    assert (
        fit.reason["en"]
        == "Quality score got worse, with 3 feedback mention(s) (full marks at one per five people)"
    )
    assert quiet.score == 0.5  # got worse (lower is better: up is worse), nobody said anything
    assert RetrospectiveCircle().fit(topic(salon_facts, "OPS", skill="craft"), salon_context).score == 0


def test_a_shortfall_that_did_not_get_worse_is_not_for_a_retrospective():
    facts = company(department("OPS", values={"score": {"actual": 60.0, "target": 80.0, "previous": 55.0}}))

    fit = RetrospectiveCircle().fit(topic(facts, "OPS", metric="score"), context(facts, "OPS"))

    assert (fit.score, fit.reason["en"]) == (0.0, "serves shortfalls that got worse only")


def test_planned_in_both_languages_with_circles_and_the_numbers(salon_plan):
    result = salon_plan(plugins=PLUGIN)

    salon = result.salon("OPS")
    en, zh = salon.drafts["en"], salon.drafts["zh-CN"]
    assert salon.format_key == "retrospective_circle" and result.problems == []
    assert en.title == "Retrospective circle: Quality score" and zh.title == "复盘圈：Quality score"
    assert en.questions[0] == "Quality score went from 70 to 60: what did we do differently meanwhile?"
    assert en.questions[1] == "Feedback mentions onboarding 3 times: what does it tell us?"
    assert [item.minutes for item in en.agenda] == [10, 16, 16, 18]  # 60 minutes
    assert sorted(map(len, en.groups)) == [5, 5]  # 10 people, circles of at most 8


def test_settings_change_the_circle(salon_plan):
    result = salon_plan(plugins=PLUGIN, settings={PLUGIN_NAME: {"minutes": 90, "circle_size": 4}})

    draft = result.draft("OPS")
    assert sum(item.minutes for item in draft.agenda) == 90
    assert sorted(map(len, draft.groups)) == [3, 3, 4]


def test_the_closing_round_reaches_every_format_when_switched_on(salon_plan):
    off = salon_plan(plugins=PLUGIN, builtin=True)
    on = salon_plan(plugins=PLUGIN, builtin=True, settings={PLUGIN_NAME: {"closing_round": True}})

    assert off.salon("OPS").format_key == on.salon("OPS").format_key == "data_review_workshop"  # it fits best
    assert off.draft("OPS").agenda[-1].title != "One-sentence takeaways"
    assert on.draft("OPS").agenda[-1].title == "One-sentence takeaways"
    assert on.draft("OPS", "zh-CN").agenda[-1].title == "每人一句话收获"


def test_a_setting_out_of_range_stops_the_start_in_one_line():
    with pytest.raises(PluginSettingsError) as raised:
        plan(plugins=PLUGIN, settings={PLUGIN_NAME: {"circle_size": 1}})

    assert str(raised.value) == (
        "invalid settings: SALON_PLUGIN_RETROSPECTIVE_CIRCLE_CIRCLE_SIZE: must be from 3 to 20, got 1"
    )


def test_circles_and_agenda_split():
    assert circles([f"E{i}" for i in range(9)], 8) == [
        ["E0", "E2", "E4", "E6", "E8"],
        ["E1", "E3", "E5", "E7"],
    ]
    assert circles([], 8) == []
    assert split(60) == [10, 16, 16, 18] and sum(split(45)) == 45


def test_installed_it_is_found_through_its_entry_point():
    (found,) = [ep for ep in entry_points(group="salon.plugins") if ep.name == "retrospective_circle"]
    manager = get_plugin_manager(environ={})

    assert (found.dist.name, found.value) == ("salon-retro", "salon_retro")
    assert (
        manager.info("retrospective_circle").label
        == f"'retrospective_circle' from salon-retro {found.dist.version}"
    )
    assert load_formats(manager)["retrospective_circle"].plugin == "retrospective_circle"
    assert dict(manager.settings_of("retrospective_circle")) == {
        "minutes": 60,
        "circle_size": 8,
        "closing_round": False,
    }
