"""A failing plugin affects only what it was asked about, is blamed by its own name, distribution
and entry point, and leaves its traceback in the log (plugin, hook, department)."""

from __future__ import annotations

import logging

from domain.salons.planner import plan, preparers
from plugins.registry import get_plugin_manager, load_formats
from tests.support import plugin_dists
from tests.support.salon_facts import make_facts

AUTHOR = """
from plugins import AgendaItem, SalonDraft, SalonFormat, hookimpl


class RetrospectiveCircle(SalonFormat):
    key = "retrospective_circle"
    name = {"zh-CN": "复盘圈", "en": "Retrospective circle"}
    description = "Everyone says what went well and what did not."

    def fit(self, topic, context):
        return 1.0 if topic.kind == "shortfall" else 0.0

    def build(self, topic, context):
        return SalonDraft(
            title={"zh-CN": "复盘圈", "en": "Retrospective circle"}[context.locale],
            agenda=[AgendaItem("Went well / did not", 45)],
            participants=[e.employee_id for e in context.employees()],
        )


@hookimpl
def register_salon_formats():
    return [RetrospectiveCircle()]


@hookimpl
def prepare_salon_draft(draft):
    draft.questions.append("What will we try next month?")
"""

BROKEN_PREPARE = """
from plugins import hookimpl


@hookimpl
def prepare_salon_draft(draft):
    draft.presenters = ["ghost"]
"""

FAILING_FIT = """
from plugins import SalonFormat, hookimpl


class Moody(SalonFormat):
    key, name, description = "moody", "Moody", "Fails when asked."

    def fit(self, topic, context):
        raise ZeroDivisionError("moody cannot divide today")


@hookimpl
def register_salon_formats():
    return [Moody()]
"""


def _plan(facts=None):
    manager = get_plugin_manager(environ=plugin_dists.environ())
    return plan(facts or make_facts(), load_formats(manager), ["OPS"], prepare=preparers(manager))


def test_the_plugin_whose_prepare_hook_made_the_draft_invalid_is_blamed_alone(tmp_path, monkeypatch):
    plugin_dists.install(tmp_path / "a", monkeypatch, "salon-author", "salon_author", AUTHOR, "author")
    plugin_dists.install(
        tmp_path / "b", monkeypatch, "salon-broken", "salon_broken", BROKEN_PREPARE, "broken"
    )

    result = _plan(make_facts(themes=()))  # the workshop fits 0.8 here, the circle 1.0

    (salon,) = result.salons
    assert salon.format_key == "retrospective_circle"  # still planned, with the author's own change
    assert salon.drafts["en"].presenters == [] and salon.drafts["en"].questions == [
        "What will we try next month?"
    ]
    (problem,) = result.problems
    assert (problem.plugin, problem.origin, problem.hook) == (
        "broken",
        "salon-broken 1.0",
        "prepare_salon_draft",
    )
    assert problem.message == (
        "plugin 'broken' from salon-broken 1.0: prepare_salon_draft left the zh-CN draft of format "
        "'retrospective_circle' invalid (kept without its change): presenters: 1 unknown employee id(s)"
    )
    assert "built an invalid draft" not in problem.message  # the format built a valid one


def test_a_failing_fit_logs_its_traceback_with_plugin_hook_and_department(tmp_path, monkeypatch, caplog):
    plugin_dists.install(tmp_path, monkeypatch, "salon-moody", "salon_moody", FAILING_FIT, "moody")

    with caplog.at_level(logging.WARNING, logger="domain.salons.problems"):
        result = _plan()

    (problem,) = result.problems
    assert problem.message == (
        "plugin 'moody' from salon-moody 1.0: format 'moody'.fit raised ZeroDivisionError: moody cannot divide today"
    )
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert record.getMessage() == f"{problem.message} (department OPS)"
    assert (record.plugin, record.hook, record.department) == ("moody", "fit", "OPS")
    assert isinstance(record.exc_info[1], ZeroDivisionError)
    traceback = caplog.text
    assert "Traceback (most recent call last)" in traceback and "salon_moody.py" in traceback
    assert [s.format_key for s in result.salons] == ["data_review_workshop"]  # the others still plan


def test_an_invalid_draft_is_logged_without_a_traceback(tmp_path, monkeypatch, caplog):
    plugin_dists.install(
        tmp_path / "b", monkeypatch, "salon-broken", "salon_broken", BROKEN_PREPARE, "broken"
    )

    with caplog.at_level(logging.WARNING, logger="domain.salons.problems"):
        _plan()

    (record,) = caplog.records
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert (record.plugin, record.hook, record.department) == ("broken", "prepare_salon_draft", "OPS")
