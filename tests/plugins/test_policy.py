"""The planner: scores, fallbacks, and isolation of plugins that fail."""

from __future__ import annotations

from domain.locales import LOCALES
from domain.salons.planner import plan
from plugins import AgendaItem, SalonDraft, SalonFormat
from plugins.registry import RegisteredFormat, get_plugin_manager, load_formats
from tests.support.salon_facts import make_facts


def builtins() -> dict[str, RegisteredFormat]:
    return load_formats(get_plugin_manager())


class Always(SalonFormat):
    key = "always"
    name = "Always"
    description = "fits everything a little"

    def __init__(self, fit=0.01, draft=None, fail=None):
        self._fit, self._draft, self._fail = fit, draft, fail

    def fit(self, topic, context):
        if self._fail == "fit":
            raise RuntimeError("boom")
        return self._fit

    def build(self, topic, context):
        if self._fail == "build":
            raise RuntimeError("boom")
        return self._draft or SalonDraft(
            title=f"{context.locale}: {topic.key}", agenda=[AgendaItem("Talk", 30)]
        )


def registry(*formats, plugin="third") -> dict[str, RegisteredFormat]:
    found = builtins()
    found.update({f.key: RegisteredFormat(f, plugin) for f in formats})
    return found


def test_the_best_fitting_pair_is_built_in_every_locale():
    result = plan(make_facts(), builtins(), ["OPS"])

    (salon,) = result.salons
    assert result.problems == []
    assert (salon.format_key, salon.topic.kind) == ("data_review_workshop", "shortfall")  # fit 1.0
    assert list(salon.drafts) == list(LOCALES)  # the default locale first
    assert salon.drafts["en"].participants is salon.drafts["zh-CN"].participants


def test_a_department_with_nothing_to_work_on_gets_no_salon():
    assert plan(make_facts(), builtins(), ["ACE"]).salons == []


def test_a_plugin_raising_in_fit_is_reported_by_name_and_others_still_plan():
    result = plan(make_facts(), registry(Always(fit=1.0, fail="fit")), ["OPS", "ACE"])

    assert [s.format_key for s in result.salons] == ["data_review_workshop"]
    assert len(result.problems) == 1  # once per department, not per topic
    assert result.problems[0].plugin == "third"
    assert (
        "plugin 'third'" in result.problems[0].message and "RuntimeError: boom" in result.problems[0].message
    )


def test_a_plugin_raising_in_build_falls_back_to_the_next_best_format():
    result = plan(make_facts(), registry(Always(fit=1.0, fail="build")), ["OPS"])

    assert [s.format_key for s in result.salons] == ["data_review_workshop"]
    assert "format 'always'.build raised RuntimeError" in result.problems[0].message


def test_a_nonsense_draft_is_refused_with_every_problem_named():
    nonsense = SalonDraft(
        title="", agenda=[AgendaItem("x", 0)], presenters=["ghost"], departments=["NOPE"], charts=[{}]
    )
    result = plan(make_facts(), registry(Always(fit=1.0, draft=nonsense)), ["OPS"])

    assert [s.format_key for s in result.salons] == ["data_review_workshop"]
    message = result.problems[0].message
    assert message.startswith("plugin 'third': format 'always' built an invalid draft")
    for field in ("title", "agenda", "presenters: 1 unknown employee id", "charts", "departments"):
        assert field in message
    assert "ghost" not in message  # ids are counted, never echoed


def test_a_fit_outside_zero_to_one_is_clamped_and_a_non_number_refused():
    (salon,) = plan(make_facts(), registry(Always(fit=7)), ["OPS"]).salons
    assert (salon.format_key, salon.fit) == ("always", 1.0)  # ties with the workshop; keys decide
    result = plan(make_facts(), registry(Always(fit="high")), ["OPS"])
    assert [s.format_key for s in result.salons] == ["data_review_workshop"]
    assert "fit must return a number" in result.problems[0].message


def test_hook_prepare_salon_draft():
    """Every implementation changes every draft in every locale; a subset of arguments is fine;
    one that raises is named and the draft goes on without its change — the salon is kept."""
    from types import SimpleNamespace

    from domain.salons.planner import preparers
    from plugins import hookimpl

    def safety_minute(draft, context, format_key):
        draft.agenda.append(AgendaItem({"zh-CN": "安全一分钟", "en": "Safety minute"}[context.locale], 1))
        draft.questions.append(f"({format_key})")

    def refuse_workshops(draft, format_key):
        draft.questions.append("half-done")
        if format_key == "data_review_workshop":
            raise ValueError("no workshops this month")

    house = SimpleNamespace(prepare_salon_draft=hookimpl(safety_minute))
    manager = get_plugin_manager(plugins=[("house", house)])

    (salon,) = plan(make_facts(), load_formats(manager), ["OPS"], prepare=preparers(manager)).salons

    assert salon.drafts["en"].agenda[-1] == AgendaItem("Safety minute", 1)
    assert salon.drafts["zh-CN"].agenda[-1] == AgendaItem("安全一分钟", 1)
    assert salon.drafts["en"].questions[-1] == "(data_review_workshop)"
    assert preparers(get_plugin_manager()) == []  # nobody implements it: nothing to run

    strict = SimpleNamespace(prepare_salon_draft=hookimpl(refuse_workshops))
    manager = get_plugin_manager(plugins=[("strict", strict)])
    result = plan(make_facts(), load_formats(manager), ["OPS"], prepare=preparers(manager))

    (salon,) = result.salons
    assert salon.format_key == "data_review_workshop"  # the format's draft, as it built it
    assert "half-done" not in salon.drafts["en"].questions  # the failing hook's change is undone
    assert salon.drafts["en"].title == "Data-review workshop: Quality score"
    (problem,) = result.problems  # once per plugin and department, not per locale
    assert (problem.plugin, problem.hook, problem.department_code) == ("strict", "prepare_salon_draft", "OPS")
    assert problem.message.startswith(
        "plugin 'strict': prepare_salon_draft raised ValueError: no workshops this month; the zh-CN draft "
        "of format 'data_review_workshop' is kept without its change"
    )


def test_a_prepare_hook_leaving_nonsense_is_undone_and_named_alone():
    from types import SimpleNamespace

    from domain.salons.planner import preparers
    from plugins import hookimpl

    def blank_title(draft):
        draft.title = ""

    def add_question(draft):
        draft.questions.append("What did we learn?")

    manager = get_plugin_manager(
        plugins=[
            ("asker", SimpleNamespace(prepare_salon_draft=hookimpl(add_question))),
            ("blanker", SimpleNamespace(prepare_salon_draft=hookimpl(blank_title))),
        ]
    )
    result = plan(make_facts(), load_formats(manager), ["OPS"], prepare=preparers(manager))

    (salon,) = result.salons
    assert salon.drafts["en"].title == "Data-review workshop: Quality score"
    assert salon.drafts["en"].questions[-1] == "What did we learn?"  # the other plugin's change stays
    assert [p.plugin for p in result.problems] == ["blanker"]
    assert result.problems[0].message == (
        "plugin 'blanker': prepare_salon_draft left the zh-CN draft of format 'data_review_workshop' "
        "invalid (kept without its change): title: must be a non-empty string"
    )
