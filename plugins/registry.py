"""The plugin manager and the registry of salon formats it yields.

``get_plugin_manager`` is the factory (no module-global state): it adds the hook specs, loads
every ``salon.plugins`` entry point — our built-in formats are registered that way too — and
refuses implementations of unknown hooks. ``load_formats`` collects the formats by key and
refuses to start on a duplicate, naming both plugins.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pluggy

from plugins import hookspecs
from plugins.formats import SalonFormat


class PluginError(RuntimeError):
    """A plugin misbehaved; the message names it, and so does ``plugin`` when it is known."""

    def __init__(self, message: str, plugin: str | None = None) -> None:
        super().__init__(message)
        self.plugin = plugin


class DuplicateFormatKey(PluginError):
    """Two plugins registered formats with the same key."""


@dataclass(frozen=True)
class RegisteredFormat:
    format: SalonFormat
    plugin: str  # the name the plugin was registered under (its entry point's name)


def get_plugin_manager(
    *, entry_points: bool = True, plugins: Iterable[tuple[str, object]] = ()
) -> pluggy.PluginManager:
    """A manager with our hook specs, the entry points' plugins and any extra ``(name, plugin)``."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    if entry_points:
        manager.load_setuptools_entrypoints(hookspecs.ENTRY_POINT_GROUP)
    for name, plugin in plugins:
        manager.register(_hashable(plugin, name), name=name)
    manager.check_pending()
    return manager


def _hashable(plugin: object, name: str) -> object:
    """``plugin``, or a module holding its attributes when it cannot be hashed (a
    ``SimpleNamespace``): pluggy's per-plugin calling keeps plugins in a set."""
    try:
        hash(plugin)
    except TypeError:
        module = types.ModuleType(name)
        module.__dict__.update(vars(plugin))
        return module
    return plugin


def call_order(manager: pluggy.PluginManager, hook_name: str) -> list[str]:
    """The plugins implementing ``hook_name`` (wrappers aside), in the order pluggy calls them:
    ``tryfirst`` first, ``trylast`` last, otherwise the last registered first."""
    impls = getattr(manager.hook, hook_name).get_hookimpls()
    return [impl.plugin_name for impl in reversed(impls) if not (impl.wrapper or impl.hookwrapper)]


def call_each(manager: pluggy.PluginManager, hook_name: str, **kwargs: Any) -> Iterator[tuple[str, Any]]:
    """Call a hook through pluggy one plugin at a time, yielding ``(plugin name, result)``, so
    that whatever goes wrong can be blamed on the plugin that did it.

    Each call is pluggy's own (``subset_hook_caller``: the plugin's implementation with every
    other plugin's plain implementation left out), so pluggy keeps the order
    (``tryfirst``/``trylast``), runs ``wrapper=True`` implementations as wrappers — around each
    plugin's call — and traces the calls. Exceptions become ``PluginError``.
    """
    hook = getattr(manager.hook, hook_name)
    plain = {
        impl.plugin_name: impl.plugin
        for impl in hook.get_hookimpls()
        if not (impl.wrapper or impl.hookwrapper)
    }
    for name in call_order(manager, hook_name):
        caller = manager.subset_hook_caller(hook_name, [p for n, p in plain.items() if n != name])
        try:
            results = caller(**kwargs)
        except Exception as error:
            raise PluginError(
                f"plugin {name!r}: {hook_name} raised {type(error).__name__}: {error}", plugin=name
            ) from error
        yield name, (results[0] if results else None)


def load_formats(manager: pluggy.PluginManager) -> dict[str, RegisteredFormat]:
    """Every registered format by key; a malformed registration or a duplicate key raises."""
    formats: dict[str, RegisteredFormat] = {}
    for plugin, result in call_each(manager, "register_salon_formats"):
        if result is None:
            continue
        if isinstance(result, SalonFormat) or not isinstance(result, (list, tuple)):
            raise PluginError(f"plugin {plugin!r}: register_salon_formats must return a list of SalonFormat")
        for salon_format in result:
            _check_format(plugin, salon_format)
            if salon_format.key in formats:
                other = formats[salon_format.key].plugin
                raise DuplicateFormatKey(
                    f"salon format key {salon_format.key!r} is registered by both plugin {other!r} and "
                    f"plugin {plugin!r}; uninstall one of them or change its key"
                )
            formats[salon_format.key] = RegisteredFormat(salon_format, plugin)
    return dict(sorted(formats.items()))


def _check_format(plugin: str, salon_format: object) -> None:
    if not isinstance(salon_format, SalonFormat):
        raise PluginError(
            f"plugin {plugin!r}: register_salon_formats returned {type(salon_format).__name__}, not a SalonFormat"
        )
    key = salon_format.key
    if not isinstance(key, str) or not key.strip() or key != key.strip():
        raise PluginError(f"plugin {plugin!r}: format {type(salon_format).__name__} needs a non-empty key")
    for attribute in ("name", "description"):
        text = getattr(salon_format, attribute)
        if not (
            isinstance(text, str)
            or (isinstance(text, dict) and all(isinstance(v, str) for v in text.values()))
        ):
            raise PluginError(f"plugin {plugin!r}: format {key!r}.{attribute} must be a str or a dict of str")


def preparer(manager: pluggy.PluginManager):
    """A callable running every ``prepare_salon_draft`` implementation on a draft (see the hook),
    or None when no plugin implements it."""
    if not manager.hook.prepare_salon_draft.get_hookimpls():
        return None

    def prepare(draft, topic, context, format_key: str) -> list[str]:
        """Runs them in pluggy's order; returns the names of the plugins that ran."""
        kwargs = {"draft": draft, "topic": topic, "context": context, "format_key": format_key}
        return [name for name, _ in call_each(manager, "prepare_salon_draft", **kwargs)]

    return prepare
