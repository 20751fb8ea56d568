"""Plugins arrive through the ``salon.plugins`` entry points, built-in and third-party alike."""

from __future__ import annotations

import pytest

from domain.salons.planner import plan
from plugins import ENTRY_POINT_GROUP, PROJECT
from plugins.registry import DuplicateFormatKey, PluginError, get_plugin_manager, load_formats
from tests.support import plugin_dists
from tests.support.salon_facts import make_facts

BUILT_IN = ["cross_department_exchange", "data_review_workshop", "skill_sharing"]


def test_the_built_in_formats_come_through_our_own_entry_points():
    from importlib.metadata import entry_points

    ours = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.dist.name == "ehr-salon"}
    formats = load_formats(get_plugin_manager())

    assert (
        sorted(name for name in ours if not name.endswith("_channel")) == BUILT_IN
    )  # channels: test_channels
    assert list(formats) == BUILT_IN
    assert {key: f.plugin for key, f in formats.items()} == {key: key for key in BUILT_IN}
    assert get_plugin_manager(entry_points=False).get_plugins() == set()
    assert PROJECT == "salon"


def test_a_third_party_distribution_is_listed_and_chosen(tmp_path, monkeypatch):
    plugin_dists.install(
        tmp_path / "site", monkeypatch, "salon-retro", "salon_retro", plugin_dists.RETRO, "retro"
    )

    formats = load_formats(get_plugin_manager())

    assert list(formats) == sorted([*BUILT_IN, "retro_circle"])
    assert formats["retro_circle"].plugin == "retro"
    facts = make_facts(themes=())  # the workshop fits 0.8 here, the retro circle 1.0
    (salon,) = plan(facts, formats, ["OPS"]).salons
    assert salon.format_key == "retro_circle"
    assert salon.drafts["zh-CN"].title == "复盘圈：Quality score"
    assert salon.drafts["en"].title == "Retro circle: Quality score"


def test_a_duplicate_key_refuses_to_start_naming_both_plugins(tmp_path, monkeypatch):
    plugin_dists.install(
        tmp_path / "a", monkeypatch, "salon-retro", "salon_retro", plugin_dists.RETRO, "retro"
    )
    copy = plugin_dists.RETRO.replace("class RetroCircle", "class RetroCopy").replace(
        "[RetroCircle()]", "[RetroCopy()]"
    )
    plugin_dists.install(
        tmp_path / "b", monkeypatch, "salon-retro-copy", "salon_retro_copy", copy, "retro_copy"
    )

    with pytest.raises(DuplicateFormatKey, match="'retro_circle'") as raised:
        load_formats(get_plugin_manager())
    assert "'retro'" in str(raised.value) and "'retro_copy'" in str(raised.value)


def test_taking_a_built_in_key_is_refused_too(tmp_path, monkeypatch):
    clash = plugin_dists.RETRO.replace('key = "retro_circle"', 'key = "skill_sharing"')
    plugin_dists.install(tmp_path / "c", monkeypatch, "salon-clash", "salon_clash", clash, "clash")

    with pytest.raises(DuplicateFormatKey, match="'skill_sharing' is registered by both") as raised:
        load_formats(get_plugin_manager())
    assert "plugin 'skill_sharing'" in str(raised.value) and "plugin 'clash'" in str(raised.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "raise RuntimeError('no config')",
            "plugin 'broken' from salon-broken 1.0: register_salon_formats raised RuntimeError: no config",
        ),
        (
            "return ['not a format']",
            "plugin 'broken' from salon-broken 1.0: register_salon_formats returned str, not a SalonFormat",
        ),
        (
            "return Nameless()",
            "plugin 'broken' from salon-broken 1.0: register_salon_formats must return a list",
        ),
        (
            "return [Nameless()]",
            "plugin 'broken' from salon-broken 1.0: format Nameless needs a non-empty key",
        ),
    ],
)
def test_a_plugin_that_cannot_register_is_named(tmp_path, monkeypatch, body, message):
    source = f"""
from plugins import SalonFormat, hookimpl

class Nameless(SalonFormat):
    pass

@hookimpl
def register_salon_formats():
    {body}
"""
    plugin_dists.install(tmp_path / "d", monkeypatch, "salon-broken", "salon_broken", source, "broken")

    with pytest.raises(PluginError) as raised:
        load_formats(get_plugin_manager())
    assert message in str(raised.value)


def test_an_implementation_of_an_unknown_hook_is_refused(tmp_path, monkeypatch):
    source = """
from plugins import hookimpl

@hookimpl
def register_salon_formatz():
    return []
"""
    plugin_dists.install(tmp_path / "e", monkeypatch, "salon-typo", "salon_typo", source, "typo")

    with pytest.raises(Exception, match="register_salon_formatz"):
        get_plugin_manager()


def test_hook_register_salon_formats():
    """Each implementation's formats are collected under its plugin's name; an empty list or
    None registers nothing."""
    from types import SimpleNamespace

    from plugins import SalonFormat, hookimpl

    class Quiet(SalonFormat):
        key, name, description = "quiet", "Quiet", "Reading together"

    one = SimpleNamespace(register_salon_formats=hookimpl(lambda: [Quiet()]))
    empty = SimpleNamespace(register_salon_formats=hookimpl(lambda: []))
    silent = SimpleNamespace(register_salon_formats=hookimpl(lambda: None))

    manager = get_plugin_manager(
        entry_points=False, plugins=[("one", one), ("empty", empty), ("silent", silent)]
    )
    formats = load_formats(manager)

    assert list(formats) == ["quiet"] and formats["quiet"].plugin == "one"
    assert sorted(map(len, manager.hook.register_salon_formats(settings={}))) == [0, 1]  # pluggy skips None
