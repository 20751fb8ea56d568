"""Plugin settings: declared by the plugin, read from SALON_PLUGIN_<KEY>_<NAME> or the settings
file, checked at start with one line per problem, read through the API."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from domain.salons.planner import plan, preparers
from domain.settings import SettingsError
from plugins import AgendaItem, SalonDraft, SalonFormat, Setting, hookimpl
from plugins.registry import PluginLoadError, get_plugin_manager, load_formats
from plugins.settings import variable
from tests.support.salon_facts import make_facts

SETTINGS = [
    Setting(
        "minutes",
        int,
        45,
        "How long the circle runs",
        check=lambda v: None if v >= 1 else "must be at least 1",
    ),
    Setting("share_of_time", float, 0.5, "Share of the time for what went well"),
    Setting("closing_question", str, None, "A question to end on"),
    Setting("house_rules", bool, False, "Add the house rules to every salon"),
]


class Circle(SalonFormat):
    key, name, description = "circle", "Circle", "Talk in a circle."

    def __init__(self, greeting: str = "") -> None:
        self.greeting = greeting

    def fit(self, topic, context):
        return 1.0 if topic.kind == "shortfall" else 0.0

    def build(self, topic, context):
        return SalonDraft(
            title=f"{self.greeting}circle",
            agenda=[AgendaItem("Round", context.settings["minutes"])],
            questions=[q for q in [context.settings["closing_question"]] if q],
        )


def _plugin():
    def register_settings():
        return SETTINGS

    def register_salon_formats(settings):
        return [Circle(greeting="Hello " if settings["house_rules"] else "")]

    def prepare_salon_draft(draft, context):
        if context.settings["house_rules"]:
            draft.agenda.append(AgendaItem("House rules", 2))

    return SimpleNamespace(
        register_settings=hookimpl(register_settings),
        register_salon_formats=hookimpl(register_salon_formats),
        prepare_salon_draft=hookimpl(prepare_salon_draft),
    )


def _manager(environ=None):
    return get_plugin_manager(
        entry_points=False, plugins=[("retro-circle", _plugin())], environ=environ or {}
    )


def test_hook_register_settings():
    """Declared settings get their defaults; the variable is SALON_PLUGIN_<KEY>_<NAME>, KEY the
    plugin's name in capitals with other characters as _."""
    settings = _manager().settings_of("retro-circle")

    assert dict(settings) == {
        "minutes": 45,
        "share_of_time": 0.5,
        "closing_question": None,
        "house_rules": False,
    }
    assert settings.source("minutes") == "default"
    assert variable("retro-circle", "minutes") == "SALON_PLUGIN_RETRO_CIRCLE_MINUTES"
    assert list(settings.declared) == ["minutes", "share_of_time", "closing_question", "house_rules"]


def test_values_from_the_environment_and_the_file_reach_every_hook(tmp_path):
    file = tmp_path / "plugins.toml"
    file.write_text('[retro-circle]\nminutes = 30\nclosing_question = "What next?"\n', encoding="utf-8")
    environ = {
        "SALON_PLUGINS_SETTINGS": str(file),
        "SALON_PLUGIN_RETRO_CIRCLE_MINUTES": "50",  # the variable wins over the file
        "SALON_PLUGIN_RETRO_CIRCLE_HOUSE_RULES": "yes",
    }
    manager = _manager(environ)
    settings = manager.settings_of("retro-circle")

    assert dict(settings) == {
        "minutes": 50,
        "share_of_time": 0.5,
        "closing_question": "What next?",
        "house_rules": True,
    }
    assert settings.source("minutes") == "SALON_PLUGIN_RETRO_CIRCLE_MINUTES"
    assert settings.source("closing_question") == "SALON_PLUGINS_SETTINGS [retro-circle] closing_question"
    (salon,) = plan(make_facts(), load_formats(manager), ["OPS"], prepare=preparers(manager)).salons
    draft = salon.drafts["en"]
    assert draft.title == "Hello circle"  # register_salon_formats(settings)
    assert draft.agenda == [AgendaItem("Round", 50), AgendaItem("House rules", 2)]  # fit/build and prepare
    assert draft.questions == ["What next?"]


def test_a_value_that_cannot_be_used_stops_the_start_with_one_line_per_problem(tmp_path):
    file = tmp_path / "plugins.toml"
    file.write_text('[retro-circle]\nshare_of_time = "half"\nminuts = 3\n', encoding="utf-8")

    with pytest.raises(SettingsError) as raised:
        _manager(
            {
                "SALON_PLUGINS_SETTINGS": str(file),
                "SALON_PLUGIN_RETRO_CIRCLE_MINUTES": "0",
                "SALON_PLUGIN_RETRO_CIRCLE_HOUSE_RULE": "on",
                "SALON_PLUGIN_SOMEONE_ELSE_LIMIT": "3",  # not a plugin loaded here: left alone
            }
        )

    known = ", ".join(variable("retro-circle", s.name) for s in SETTINGS)
    assert str(raised.value) == (
        "invalid settings: SALON_PLUGIN_RETRO_CIRCLE_MINUTES: must be at least 1; "
        "SALON_PLUGINS_SETTINGS [retro-circle] share_of_time: not a number: 'half'; "
        "SALON_PLUGINS_SETTINGS [retro-circle] minuts: plugin 'retro-circle' has no such setting "
        "(its settings: closing_question, house_rules, minutes, share_of_time); "
        f"SALON_PLUGIN_RETRO_CIRCLE_HOUSE_RULE: plugin 'retro-circle' has no such setting (its settings: {known})"
    )


def test_a_settings_file_that_is_not_toml_is_one_line(tmp_path):
    file = tmp_path / "plugins.toml"
    file.write_text("minutes = \n", encoding="utf-8")

    with pytest.raises(SettingsError, match=r"^invalid settings: SALON_PLUGINS_SETTINGS: .* is not TOML: "):
        _manager({"SALON_PLUGINS_SETTINGS": str(file)})


@pytest.mark.parametrize(
    ("declared", "problem"),
    [
        ([Setting("Minutes", int, 45)], "setting name 'Minutes' must be lower_snake_case"),
        ([Setting("minutes", list, [])], "setting 'minutes': type must be one of str, int, float, bool"),
        ([Setting("minutes", int, "45")], "setting 'minutes': default '45' is not of type int"),
        ([Setting("minutes", int, 1), Setting("minutes", int, 2)], "setting 'minutes' is declared twice"),
        (["minutes"], "register_settings must return a list of plugins.Setting"),
    ],
)
def test_a_declaration_that_makes_no_sense_is_refused_naming_the_plugin(declared, problem):
    plugin = SimpleNamespace(register_settings=hookimpl(lambda: declared))

    with pytest.raises(PluginLoadError) as raised:
        get_plugin_manager(entry_points=False, plugins=[("odd", plugin)], environ={})

    assert str(raised.value).startswith("plugin 'odd': ") and problem in str(raised.value)


def test_reading_a_setting_never_declared_names_what_is_declared():
    settings = _manager().settings_of("retro-circle")

    with pytest.raises(KeyError, match="plugin 'retro-circle' declares no setting 'minute'"):
        settings["minute"]
