"""Hooks are called the pluggy way: its order (``tryfirst``/``trylast``, else the last registered
first), its wrappers, its tracing — one plugin at a time, so a failure names its plugin."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from domain.salons.planner import plan, preparers
from plugins import hookimpl
from plugins.registry import PluginError, call_order, get_plugin_manager, load_formats
from tests.support.salon_facts import make_facts


def _marker(label: str, **options):
    def prepare_salon_draft(draft):
        draft.questions.append(label)

    return SimpleNamespace(prepare_salon_draft=hookimpl(**options)(prepare_salon_draft))


def _planned_questions(manager) -> list[str]:
    (salon,) = plan(make_facts(), load_formats(manager), ["OPS"], prepare=preparers(manager)).salons
    return salon.drafts["en"].questions


def test_prepare_hooks_run_in_pluggys_order():
    manager = get_plugin_manager(
        plugins=[
            ("late", _marker("late", trylast=True)),
            ("first-registered", _marker("first-registered")),
            ("second-registered", _marker("second-registered")),
            ("early", _marker("early", tryfirst=True)),
        ]
    )

    expected = ["early", "second-registered", "first-registered", "late"]
    assert call_order(manager, "prepare_salon_draft") == expected
    assert _planned_questions(manager)[-4:] == expected


def test_a_wrapper_wraps_each_plugins_call_and_is_not_called_as_a_plain_hook():
    calls: list[str] = []

    def prepare_salon_draft(draft):
        calls.append("before")
        result = yield
        calls.append("after")
        draft.questions.append("wrapped")
        return result

    wrapper = SimpleNamespace(prepare_salon_draft=hookimpl(wrapper=True)(prepare_salon_draft))
    manager = get_plugin_manager(plugins=[("plain", _marker("plain")), ("around", wrapper)])

    questions = _planned_questions(manager)

    assert call_order(manager, "prepare_salon_draft") == ["plain"]  # a wrapper is not a plain call
    assert questions[-2:] == ["plain", "wrapped"]
    assert calls and calls.count("before") == calls.count("after")


def test_pluggys_tracing_sees_the_calls():
    manager = get_plugin_manager(plugins=[("plain", _marker("plain"))])
    traced: list[str] = []
    undo = manager.add_hookcall_monitoring(
        lambda hook_name, impls, kwargs: traced.append(hook_name), lambda *args: None
    )
    try:
        load_formats(manager)
        _planned_questions(manager)
    finally:
        undo()

    assert "register_salon_formats" in traced and "prepare_salon_draft" in traced


def test_a_failing_plugin_is_named_even_among_others():
    def boom():
        raise RuntimeError("broken")

    manager = get_plugin_manager(plugins=[("broken", SimpleNamespace(register_salon_formats=hookimpl(boom)))])

    with pytest.raises(PluginError, match="plugin 'broken': register_salon_formats raised RuntimeError"):
        load_formats(manager)
