"""The plugin manager and the registries it yields: salon formats and notification channels.

``get_plugin_manager`` is the factory (no module-global state): it adds the hook specs, loads
every ``salon.plugins`` entry point — our built-in formats are registered that way too — and the
modules of ``SALON_PLUGINS_DIR``, leaves out ``SALON_DISABLE_PLUGINS``, refuses plugins that
cannot be loaded (one line each, :mod:`plugins.loading`) and reads the plugins' settings
(:mod:`plugins.settings`). ``load_formats`` and ``load_channels`` collect the formats and the
channels by key and refuse to start on a duplicate, naming both plugins.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pluggy

from plugins.channels import NotificationChannel
from plugins.formats import SalonFormat
from plugins.loading import (
    PluginError,
    PluginInfo,
    PluginLoadError,
    SalonPluginManager,
    load_entry_points,
    load_folder,
    load_given,
    settings_declared,
)
from plugins.settings import NO_SETTINGS, HostSettings, PluginSettings, read_file, resolve

__all__ = [
    "DuplicateChannelKey",
    "DuplicateFormatKey",
    "PluginError",
    "PluginInfo",
    "PluginLoadError",
    "RegisteredChannel",
    "RegisteredFormat",
    "SalonPluginManager",
    "by_key",
    "call_each",
    "call_order",
    "get_plugin_manager",
    "hook_callers",
    "load_channels",
    "load_formats",
]


class DuplicateFormatKey(PluginError):
    """Two plugins registered formats with the same key."""


@dataclass(frozen=True)
class RegisteredFormat:
    format: SalonFormat
    plugin: str  # the name the plugin was registered under (its entry point's name)
    info: PluginInfo | None = None  # where the plugin came from, for messages
    settings: PluginSettings = NO_SETTINGS  # the plugin's setting values (Context.settings)

    @property
    def label(self) -> str:
        """The plugin as messages name it: ``'retro' from salon-retro 1.0``."""
        return (self.info or PluginInfo(self.plugin)).label


def get_plugin_manager(
    *,
    entry_points: bool = True,
    plugins: Iterable[tuple[str, object]] = (),
    environ: Mapping[str, str] | None = None,
) -> SalonPluginManager:
    """A manager with our hook specs, the installed plugins (``entry_points``: the entry points
    and ``SALON_PLUGINS_DIR``, less ``SALON_DISABLE_PLUGINS``), any extra ``(name, plugin)``, and
    every plugin's settings read from ``environ`` (default ``os.environ``) and the settings file.

    Raises :class:`PluginLoadError` (one line per plugin) or ``PluginSettingsError``."""
    environ = os.environ if environ is None else environ
    host = HostSettings.from_environ(environ)
    manager = SalonPluginManager()
    manager.disabled = host.disabled
    failures: list[str] = []
    if entry_points:
        failures += load_entry_points(manager, host.disabled)
        if host.plugins_dir:
            failures += load_folder(manager, host.plugins_dir, host.disabled)
    failures += load_given(manager, plugins)
    if failures:
        raise PluginLoadError("\n".join(failures))
    manager.settings = resolve(settings_declared(manager), environ, read_file(host.settings_file))
    return manager


def call_order(manager: pluggy.PluginManager, hook_name: str) -> list[str]:
    """The plugins implementing ``hook_name`` (wrappers aside), in the order pluggy calls them:
    ``tryfirst`` first, ``trylast`` last, otherwise the last registered first."""
    impls = getattr(manager.hook, hook_name).get_hookimpls()
    return [impl.plugin_name for impl in reversed(impls) if not (impl.wrapper or impl.hookwrapper)]


def hook_callers(manager: pluggy.PluginManager, hook_name: str) -> list[tuple[str, pluggy.HookCaller]]:
    """``(plugin name, caller)`` for each plugin implementing ``hook_name``, in pluggy's order:
    calling one calls that plugin's implementation alone, so that whatever goes wrong is
    blamed on the plugin that did it.

    Each caller is pluggy's own (``subset_hook_caller``: every other plugin's plain
    implementation left out), so pluggy keeps the order (``tryfirst``/``trylast``), runs
    ``wrapper=True`` implementations as wrappers — around each plugin's call — and traces."""
    hook = getattr(manager.hook, hook_name)
    plain = {
        impl.plugin_name: impl.plugin
        for impl in hook.get_hookimpls()
        if not (impl.wrapper or impl.hookwrapper)
    }
    return [
        (name, manager.subset_hook_caller(hook_name, [p for n, p in plain.items() if n != name]))
        for name in call_order(manager, hook_name)
    ]


def _label(manager: pluggy.PluginManager, name: str) -> str:
    return manager.info(name).label if isinstance(manager, SalonPluginManager) else repr(name)


def call_each(
    manager: pluggy.PluginManager, hook_name: str, per_plugin: Mapping[str, dict] | None = None, **kwargs: Any
) -> Iterator[tuple[str, Any]]:
    """Call a hook one plugin at a time (:func:`hook_callers`), yielding ``(plugin name,
    result)``; ``per_plugin`` adds arguments for some plugins. Exceptions become
    ``PluginError`` naming the plugin."""
    for name, caller in hook_callers(manager, hook_name):
        try:
            results = caller(**{**kwargs, **(per_plugin or {}).get(name, {})})
        except Exception as error:
            raise PluginError(
                f"plugin {_label(manager, name)}: {hook_name} raised {type(error).__name__}: {error}",
                plugin=name,
            ) from error
        yield name, (results[0] if results else None)


def load_formats(manager: pluggy.PluginManager) -> dict[str, RegisteredFormat]:
    """Every registered format by key; a malformed registration or a duplicate key raises."""
    formats: dict[str, RegisteredFormat] = {}
    infos = manager.infos if isinstance(manager, SalonPluginManager) else {}
    settings = manager.settings if isinstance(manager, SalonPluginManager) else {}
    per_plugin = {name: {"settings": settings.get(name, NO_SETTINGS)} for name in infos}
    for plugin, result in call_each(manager, "register_salon_formats", per_plugin, settings=NO_SETTINGS):
        if result is None:
            continue
        label = _label(manager, plugin)
        if isinstance(result, SalonFormat | type) or not isinstance(result, list | tuple):
            raise PluginError(
                f"plugin {label}: register_salon_formats must return a list of SalonFormat, "
                f"not {_shown(result)}",
                plugin=plugin,
            )
        for salon_format in result:
            _check_format(plugin, label, salon_format)
            if salon_format.key in formats:
                other = formats[salon_format.key].label
                raise DuplicateFormatKey(
                    f"salon format key {salon_format.key!r} is registered by both plugin {other} and "
                    f"plugin {label}; uninstall one of them or change its key",
                    plugin=plugin,
                )
            formats[salon_format.key] = RegisteredFormat(
                salon_format, plugin, infos.get(plugin), settings.get(plugin, NO_SETTINGS)
            )
    return dict(sorted(formats.items()))


def _shown(value: object) -> str:
    if isinstance(value, type):
        return f"the class {value.__name__}"
    return f"{type(value).__name__}"


def _check_format(plugin: str, label: str, salon_format: object) -> None:
    if isinstance(salon_format, type) and issubclass(salon_format, SalonFormat):
        name = salon_format.__name__
        raise PluginError(
            f"plugin {label}: register_salon_formats returned the class {name}, not an instance: "
            f"return [{name}()]",
            plugin=plugin,
        )
    if not isinstance(salon_format, SalonFormat):
        raise PluginError(
            f"plugin {label}: register_salon_formats returned {_shown(salon_format)}, not a SalonFormat",
            plugin=plugin,
        )
    key = salon_format.key
    if not isinstance(key, str) or not key.strip() or key != key.strip():
        raise PluginError(
            f"plugin {label}: format {type(salon_format).__name__} needs a non-empty key", plugin=plugin
        )
    for attribute in ("name", "description"):
        text = getattr(salon_format, attribute)
        if not (
            isinstance(text, str)
            or (isinstance(text, dict) and all(isinstance(v, str) for v in text.values()))
        ):
            raise PluginError(
                f"plugin {label}: format {key!r}.{attribute} must be a str or a dict of str", plugin=plugin
            )


class DuplicateChannelKey(PluginError):
    """Two plugins registered channels with the same key."""


@dataclass(frozen=True)
class RegisteredChannel:
    channel: NotificationChannel
    plugin: str  # the name the plugin was registered under (its entry point's name)


def load_channels(manager: pluggy.PluginManager) -> dict[str, RegisteredChannel]:
    """Every registered channel by key; a malformed registration or a duplicate key raises,
    naming the plugins."""
    channels: dict[str, RegisteredChannel] = {}
    for plugin, result in call_each(manager, "register_notification_channels"):
        if result is None:
            continue
        if not isinstance(result, list | tuple):
            raise PluginError(
                f"plugin {plugin!r}: register_notification_channels must return a list of NotificationChannel",
                plugin=plugin,
            )
        for channel in result:
            _check_channel(plugin, channel)
            if channel.key in channels:
                other = channels[channel.key].plugin
                raise DuplicateChannelKey(
                    f"notification channel key {channel.key!r} is registered by both plugin {other!r} and "
                    f"plugin {plugin!r}; uninstall one of them or change its key",
                    plugin=plugin,
                )
            channels[channel.key] = RegisteredChannel(channel, plugin)
    return dict(sorted(channels.items()))


def _check_channel(plugin: str, channel: object) -> None:
    if not isinstance(channel, NotificationChannel):
        raise PluginError(
            f"plugin {plugin!r}: register_notification_channels returned {type(channel).__name__}, "
            "not a NotificationChannel",
            plugin=plugin,
        )
    key = channel.key
    if not isinstance(key, str) or not key.strip() or key != key.strip() or len(key) > 64:
        raise PluginError(
            f"plugin {plugin!r}: channel {type(channel).__name__} needs a key of 1 to 64 characters",
            plugin=plugin,
        )


def by_key(channels: Mapping[str, RegisteredChannel]) -> dict[str, NotificationChannel]:
    return {key: registered.channel for key, registered in channels.items()}
