"""Loading plugins: every failure is one line naming the plugin, its distribution and entry point
and the cause (the traceback only at DEBUG); SALON_DISABLE_PLUGINS leaves plugins out;
SALON_PLUGINS_DIR loads modules from a folder without installing them."""

from __future__ import annotations

import logging
import textwrap

import pytest

from plugins.registry import PluginError, PluginLoadError, get_plugin_manager, load_formats
from tests.support import plugin_dists

BUILT_IN = ["cross_department_exchange", "data_review_workshop", "skill_sharing"]
ENV = plugin_dists.environ()  # only the product's installed plugins: nothing of the caller's


def _install(tmp_path, monkeypatch, source: str, **options) -> None:
    plugin_dists.install(
        tmp_path / "site", monkeypatch, "salon-broken", "salon_broken", source, "broken", **options
    )


def _load_error(**kwargs) -> str:
    with pytest.raises(PluginLoadError) as raised:
        get_plugin_manager(environ=ENV, **kwargs)
    return str(raised.value)


def test_a_plugin_whose_import_fails_is_one_line_naming_distribution_entry_point_and_cause(
    tmp_path, monkeypatch, caplog
):
    _install(tmp_path, monkeypatch, "import salon_helpers_not_installed\n")

    with caplog.at_level(logging.INFO, logger="plugins.loading"):
        message = _load_error()

    assert message == (
        "plugin 'broken' (entry point broken = salon_broken in salon-broken 1.0) cannot be loaded: "
        "ModuleNotFoundError: No module named 'salon_helpers_not_installed' "
        "(SALON_DISABLE_PLUGINS=broken starts without it)"
    )
    assert "\n" not in message and "Traceback" not in message
    assert not [r for r in caplog.records if r.exc_info]  # no traceback above DEBUG


def test_the_traceback_is_logged_at_debug(tmp_path, monkeypatch, caplog):
    _install(tmp_path, monkeypatch, "import salon_helpers_not_installed\n")

    with caplog.at_level(logging.DEBUG, logger="plugins.loading"):
        _load_error()

    (record,) = [r for r in caplog.records if r.exc_info]
    assert record.levelno == logging.DEBUG and "plugin 'broken'" in record.getMessage()
    assert isinstance(record.exc_info[1], ModuleNotFoundError)


def test_a_misspelt_hook_is_one_line_with_the_hook_it_meant(tmp_path, monkeypatch):
    _install(
        tmp_path,
        monkeypatch,
        "from plugins import hookimpl\n\n@hookimpl\ndef register_salon_format():\n    return []\n",
    )

    assert _load_error() == (
        "plugin 'broken' (entry point broken = salon_broken in salon-broken 1.0) implements unknown hook "
        "'register_salon_format' (did you mean 'register_salon_formats'?)"
    )


def test_a_hook_taking_an_argument_the_hook_does_not_pass_is_named(tmp_path, monkeypatch):
    _install(
        tmp_path,
        monkeypatch,
        "from plugins import hookimpl\n\n@hookimpl\ndef prepare_salon_draft(draft, ctx):\n    pass\n",
    )

    assert _load_error().endswith(
        "prepare_salon_draft takes argument(s) ctx the hook does not have "
        "(it passes: draft, topic, context, format_key)"
    )


def test_a_hook_function_left_unmarked_is_named(tmp_path, monkeypatch):
    _install(tmp_path, monkeypatch, "def register_salon_formats():\n    return []\n")

    assert _load_error().endswith(
        "implements no hook: mark register_salon_formats with @hookimpl (from plugins import hookimpl)"
    )


def test_an_entry_point_naming_a_format_class_says_so(tmp_path, monkeypatch):
    _install(tmp_path, monkeypatch, plugin_dists.RETRO, value="salon_broken:RetroCircle")

    assert _load_error() == (
        "plugin 'broken' (entry point broken = salon_broken:RetroCircle in salon-broken 1.0) names the salon "
        "format RetroCircle, not a plugin: point the entry point at the module whose @hookimpl "
        "register_salon_formats returns [RetroCircle()]"
    )


def test_returning_a_class_instead_of_an_instance_says_so(tmp_path, monkeypatch):
    _install(tmp_path, monkeypatch, plugin_dists.RETRO.replace("[RetroCircle()]", "[RetroCircle]"))

    with pytest.raises(PluginError) as raised:
        load_formats(get_plugin_manager(environ=ENV))

    assert str(raised.value) == (
        "plugin 'broken' from salon-broken 1.0: register_salon_formats returned the class RetroCircle, "
        "not an instance: return [RetroCircle()]"
    )


def test_every_failing_plugin_gets_its_line(tmp_path, monkeypatch):
    _install(tmp_path, monkeypatch, "raise RuntimeError('no licence file')\n")
    plugin_dists.install(tmp_path / "other", monkeypatch, "salon-typo", "salon_typo", "x = 1\n", "typo")

    lines = sorted(_load_error().splitlines())  # in the order the distributions were found

    assert len(lines) == 2
    assert lines[0].startswith("plugin 'broken' (entry point broken = salon_broken in salon-broken 1.0) ")
    assert "RuntimeError: no licence file" in lines[0]
    assert lines[1].startswith(
        "plugin 'typo' (entry point typo = salon_typo in salon-typo 1.0) implements no hook"
    )


def test_disabled_plugins_are_left_out_like_pytests_no_option(tmp_path, monkeypatch):
    _install(tmp_path, monkeypatch, "import salon_helpers_not_installed\n")

    manager = get_plugin_manager(environ=plugin_dists.environ(SALON_DISABLE_PLUGINS="broken, skill_sharing"))

    assert list(load_formats(manager)) == ["cross_department_exchange", "data_review_workshop"]
    assert {"broken", "skill_sharing"} <= set(manager.disabled)


def test_plugins_dir_loads_modules_without_installing_and_rereads_them(tmp_path):
    folder = tmp_path / "dev-plugins"
    folder.mkdir()
    (folder / "retro.py").write_text(textwrap.dedent(plugin_dists.RETRO), encoding="utf-8")
    (folder / "_helpers.py").write_text("raise RuntimeError('not a plugin: skipped')\n", encoding="utf-8")
    env = plugin_dists.environ(SALON_PLUGINS_DIR=str(folder))

    manager = get_plugin_manager(environ=env)
    formats = load_formats(manager)

    assert list(formats) == sorted([*BUILT_IN, "retro_circle"])
    assert formats["retro_circle"].label == f"'retro' from SALON_PLUGINS_DIR {folder / 'retro.py'}"
    (folder / "retro.py").write_text(
        textwrap.dedent(plugin_dists.RETRO).replace('key = "retro_circle"', 'key = "retro_circle_2"'),
        encoding="utf-8",
    )
    assert "retro_circle_2" in load_formats(
        get_plugin_manager(environ=env)
    )  # an edit counts at the next load
    disabled = plugin_dists.environ(SALON_PLUGINS_DIR=str(folder), SALON_DISABLE_PLUGINS="retro")
    assert "retro_circle" not in load_formats(get_plugin_manager(environ=disabled))


def test_a_broken_module_in_the_plugins_dir_is_one_line(tmp_path):
    folder = tmp_path / "dev-plugins"
    folder.mkdir()
    (folder / "wip.py").write_text("def register_salon_formats(:\n", encoding="utf-8")

    with pytest.raises(PluginLoadError) as raised:
        get_plugin_manager(environ=plugin_dists.environ(SALON_PLUGINS_DIR=str(folder)))

    assert str(raised.value).startswith(
        f"plugin 'wip' ({folder / 'wip.py'} in SALON_PLUGINS_DIR) cannot be loaded: SyntaxError"
    )
    assert "\n" not in str(raised.value)


def test_a_plugins_dir_that_is_not_a_folder_is_a_settings_error(tmp_path):
    from domain.settings import SettingsError

    with pytest.raises(SettingsError, match="invalid settings: SALON_PLUGINS_DIR: no such folder"):
        get_plugin_manager(environ={"SALON_PLUGINS_DIR": str(tmp_path / "nowhere")})
