"""Plugin settings: what a plugin declares it can be configured with, and the values it gets.

A plugin declares its settings (``register_settings``: name, type, default, help); the host
reads each value once, at start, from ``SALON_PLUGIN_<KEY>_<NAME>`` or else from the TOML file
named by ``SALON_PLUGINS_SETTINGS`` (a table per plugin), and refuses to start on a value it
cannot use — one line per problem, as the product's own settings do (``domain.settings``). The
plugin reads its values as ``context.settings["name"]`` (and ``register_salon_formats(settings)``).

``<KEY>`` is the plugin's name (its entry point's name) in capitals, every character other than
a letter or digit written ``_``: plugin ``retro``, setting ``minutes`` → ``SALON_PLUGIN_RETRO_MINUTES``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.settings import SettingsError, parse_boolean

PREFIX = "SALON_PLUGIN_"
DISABLE_VARIABLE = "SALON_DISABLE_PLUGINS"  # names of plugins not to load, comma-separated
DIR_VARIABLE = "SALON_PLUGINS_DIR"  # a folder of plugin modules loaded without installing them
FILE_VARIABLE = "SALON_PLUGINS_SETTINGS"  # a TOML file: one table of values per plugin
NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
TYPES: dict[type, str] = {bool: "bool", int: "int", float: "float", str: "str"}


class PluginSettingsError(SettingsError):
    """A plugin setting (or one of the host's plugin variables) has a value we cannot run with;
    the message is ``invalid settings: VARIABLE: reason; …``, as for the product's settings."""


def _parse_int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"not a whole number: {raw!r}") from None


def _parse_float(raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"not a number: {raw!r}") from None


_PARSERS = {bool: parse_boolean, int: _parse_int, float: _parse_float, str: str}


@dataclass(frozen=True)
class Setting:
    """One setting a plugin can be configured with.

    :param name: lower_snake_case, unique within the plugin.
    :param type: ``str``, ``int``, ``float`` or ``bool``.
    :param default: the value when nothing sets it (of ``type``, or None for "unset").
    :param help: one line for ``salon plugins`` and your documentation.
    :param check: optional; given a value, the reason it cannot be used (e.g. ``"must be at
        least 1"``) or None — checked at start, like the type.
    """

    name: str
    type: type
    default: Any
    help: str = ""
    check: Callable[[Any], str | None] | None = None

    def problem(self) -> str | None:
        """What is wrong with the declaration itself, or None."""
        if not isinstance(self.name, str) or not NAME.match(self.name):
            return f"setting name {self.name!r} must be lower_snake_case (a-z, 0-9, _)"
        if self.type not in TYPES:
            return f"setting {self.name!r}: type must be one of str, int, float, bool, not {self.type!r}"
        if self.default is not None and not _of_type(self.default, self.type):
            return f"setting {self.name!r}: default {self.default!r} is not of type {TYPES[self.type]}"
        if self.default is not None and self.check is not None and (reason := self.check(self.default)):
            return f"setting {self.name!r}: default {self.default!r}: {reason}"
        return None

    def parse(self, raw: object) -> Any:
        """``raw`` (an environment string, or a TOML value) as this setting's type; ValueError
        says why not."""
        if isinstance(raw, str):
            value = _PARSERS[self.type](raw.strip())
        elif _of_type(raw, self.type):
            value = float(raw) if self.type is float else raw
        else:
            raise ValueError(f"must be of type {TYPES[self.type]}, not {type(raw).__name__} {raw!r}")
        if self.check is not None and (reason := self.check(value)):
            raise ValueError(reason)
        return value


def _of_type(value: object, kind: type) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def key(plugin: str) -> str:
    """The ``<KEY>`` of a plugin's variables (see the module)."""
    return re.sub(r"[^A-Za-z0-9]", "_", plugin).upper()


def variable(plugin: str, name: str) -> str:
    return f"{PREFIX}{key(plugin)}_{name.upper()}"


class PluginSettings(Mapping[str, Any]):
    """A plugin's setting values by name, read-only; ``source(name)`` says where each came from
    (``default``, ``SALON_PLUGIN_…`` or the settings file)."""

    def __init__(
        self,
        values: Mapping[str, Any] | None = None,
        declared: Mapping[str, Setting] | None = None,
        sources: Mapping[str, str] | None = None,
        plugin: str = "",
    ) -> None:
        self._values = dict(values or {})
        self._declared = dict(declared or {})
        self._sources = dict(sources or {})
        self._plugin = plugin

    def __getitem__(self, name: str) -> Any:
        if name not in self._values:
            known = ", ".join(sorted(self._values)) or "none"
            owner = f"plugin {self._plugin!r}" if self._plugin else "this plugin"
            raise KeyError(f"{owner} declares no setting {name!r} (its settings: {known})")
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"PluginSettings({self._values!r})"

    def __hash__(self) -> int:  # values are str, int, float, bool or None: a frozen record's field
        return hash(tuple(sorted(self._values.items())))

    @property
    def declared(self) -> Mapping[str, Setting]:
        return dict(self._declared)

    def source(self, name: str) -> str:
        return self._sources.get(name, "default")


NO_SETTINGS = PluginSettings()


def read_file(path: str | None) -> dict[str, dict[str, Any]]:
    """The settings file's tables (``{}`` without a file); an unreadable file is a one-line error."""
    if not path:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise PluginSettingsError(
            f"invalid settings: {FILE_VARIABLE}: cannot read {path}: {error.strerror}"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PluginSettingsError(f"invalid settings: {FILE_VARIABLE}: {path} is not TOML: {error}") from None
    tables = {name: table for name, table in data.items() if isinstance(table, dict)}
    if loose := sorted(set(data) - set(tables)):
        raise PluginSettingsError(
            f"invalid settings: {FILE_VARIABLE}: {path}: {loose} must be tables ([plugin] then name = value)"
        )
    return tables


def resolve(
    declared: Mapping[str, list[Setting]],
    environ: Mapping[str, str],
    file_tables: Mapping[str, Mapping[str, Any]] | None = None,
    file_name: str = FILE_VARIABLE,
) -> dict[str, PluginSettings]:
    """Each plugin's values: its variable, else the file's table, else the default.

    Every problem is collected and raised together: a value of the wrong type, and a variable
    or file key of a loaded plugin that names no setting of it (a typo would otherwise be
    ignored silently). Variables of plugins not loaded here (disabled, or installed elsewhere)
    are left alone.
    """
    file_tables = file_tables or {}
    problems: list[str] = []
    resolved: dict[str, PluginSettings] = {}
    for plugin, settings in declared.items():
        values, sources, by_name = {}, {}, {s.name: s for s in settings}
        table = file_tables.get(plugin, {})
        for setting in settings:
            name = variable(plugin, setting.name)
            raw, source = environ.get(name), name
            if raw is None or not raw.strip():
                raw, source = table.get(setting.name), f"{file_name} [{plugin}] {setting.name}"
            if raw is None:
                values[setting.name] = setting.default
                continue
            try:
                values[setting.name] = setting.parse(raw)
                sources[setting.name] = source
            except ValueError as error:
                problems.append(f"{source}: {error}")
        known = ", ".join(sorted(by_name)) or "none"
        for unknown in sorted(set(table) - set(by_name)):
            problems.append(
                f"{file_name} [{plugin}] {unknown}: plugin {plugin!r} has no such setting (its settings: {known})"
            )
        resolved[plugin] = PluginSettings(values, by_name, sources, plugin)
    problems += _unknown_variables(declared, environ)
    if problems:
        raise PluginSettingsError("invalid settings: " + "; ".join(problems))
    return resolved


def _unknown_variables(declared: Mapping[str, list[Setting]], environ: Mapping[str, str]) -> list[str]:
    """``SALON_PLUGIN_<KEY>_…`` variables of a loaded plugin that name none of its settings."""
    expected = {variable(p, s.name) for p, settings in declared.items() for s in settings}
    prefixes = sorted(((f"{PREFIX}{key(p)}_", p) for p in declared), key=lambda pair: -len(pair[0]))
    problems = []
    for name in sorted(environ):
        if not name.startswith(PREFIX) or name in expected:
            continue
        owner = next((p for prefix, p in prefixes if name.startswith(prefix)), None)
        if owner is not None:
            known = ", ".join(variable(owner, s.name) for s in declared[owner]) or "none"
            problems.append(f"{name}: plugin {owner!r} has no such setting (its settings: {known})")
    return problems


@dataclass(frozen=True)
class HostSettings:
    """The host's own plugin variables: which plugins not to load, a folder of plugins, a file of
    plugin settings."""

    disabled: tuple[str, ...] = ()
    plugins_dir: str | None = None
    settings_file: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> HostSettings:
        problems = []
        disabled = tuple(
            name.strip() for name in (environ.get(DISABLE_VARIABLE) or "").split(",") if name.strip()
        )
        folder = (environ.get(DIR_VARIABLE) or "").strip() or None
        if folder is not None and not Path(folder).is_dir():
            problems.append(f"{DIR_VARIABLE}: no such folder: {folder!r}")
        file = (environ.get(FILE_VARIABLE) or "").strip() or None
        if file is not None and not Path(file).is_file():
            problems.append(f"{FILE_VARIABLE}: no such file: {file!r}")
        if problems:
            raise PluginSettingsError("invalid settings: " + "; ".join(problems))
        return cls(disabled, folder, file)
