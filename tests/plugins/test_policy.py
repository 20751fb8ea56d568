"""The planner: scores, fallbacks, and isolation of plugins that fail."""

from __future__ import annotations

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
    assert set(salon.drafts) == {"zh-CN", "en"}
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
    one that raises is named and the next best format is tried."""
    from types import SimpleNamespace

    from plugins import hookimpl
    from plugins.registry import preparer

    def safety_minute(draft, context, format_key):
        draft.agenda.append(AgendaItem({"zh-CN": "安全一分钟", "en": "Safety minute"}[context.locale], 1))
        draft.questions.append(f"({format_key})")

    def refuse_workshops(format_key):
        if format_key == "data_review_workshop":
            raise ValueError("no workshops this month")

    house = SimpleNamespace(prepare_salon_draft=hookimpl(safety_minute))
    manager = get_plugin_manager(plugins=[("house", house)])

    (salon,) = plan(make_facts(), load_formats(manager), ["OPS"], prepare=preparer(manager)).salons

    assert salon.drafts["en"].agenda[-1] == AgendaItem("Safety minute", 1)
    assert salon.drafts["zh-CN"].agenda[-1] == AgendaItem("安全一分钟", 1)
    assert salon.drafts["en"].questions[-1] == "(data_review_workshop)"
    assert preparer(get_plugin_manager()) is None  # nobody implements it: nothing to run

    strict = SimpleNamespace(prepare_salon_draft=hookimpl(refuse_workshops))
    manager = get_plugin_manager(plugins=[("strict", strict)])
    result = plan(make_facts(), load_formats(manager), ["OPS"], prepare=preparer(manager))

    assert result.salons[0].format_key != "data_review_workshop"
    assert result.problems[0].plugin == "strict"
    assert (
        "plugin 'strict': prepare_salon_draft raised ValueError: no workshops this month"
        in result.problems[0].message
    )


def test_a_prepare_hook_leaving_nonsense_is_named():
    from types import SimpleNamespace

    from plugins import hookimpl
    from plugins.registry import preparer

    def blank_title(draft):
        draft.title = ""

    manager = get_plugin_manager(
        plugins=[("blanker", SimpleNamespace(prepare_salon_draft=hookimpl(blank_title)))]
    )
    result = plan(make_facts(), load_formats(manager), ["OPS"], prepare=preparer(manager))

    assert result.salons == []
    assert result.problems[0].plugin == "blanker"
    assert "built an invalid draft after prepare_salon_draft: title" in result.problems[0].message
