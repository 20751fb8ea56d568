"""Finding and registering plugins, with one clear line for every one that cannot be loaded.

Plugins come from the ``salon.plugins`` entry points of installed distributions, from the
modules of ``SALON_PLUGINS_DIR`` (for development, without installing), and from code (tests).
``SALON_DISABLE_PLUGINS=name,…`` leaves the named ones out, as pytest's ``-p no:name`` does.

Whatever goes wrong while loading — an import that fails, a misspelt hook, a hook taking an
argument the hook does not have, an entry point naming a format class instead of a module — is
one line naming the plugin, its distribution and entry point, and the cause; every failure is
collected before the start is refused, and the traceback is logged at DEBUG
(``SALON_LOG_LEVEL=DEBUG``). The host always knows where each plugin came from
(:class:`PluginInfo`), so a failure later, while planning, is blamed the same way.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import importlib.util
import inspect
import logging
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pluggy

from plugins import hookspecs
from plugins.formats import SalonFormat
from plugins.settings import NO_SETTINGS, PluginSettings

log = logging.getLogger(__name__)
DIR_MODULE_PREFIX = "salon_plugins_dir."  # modules of SALON_PLUGINS_DIR, apart from installed ones


class PluginError(RuntimeError):
    """A plugin misbehaved; the message names it, and so does ``plugin`` when it is known."""

    def __init__(self, message: str, plugin: str | None = None) -> None:
        super().__init__(message)
        self.plugin = plugin


class PluginLoadError(PluginError):
    """Plugins could not be loaded: one line per plugin, each naming it and the cause."""


@dataclass(frozen=True)
class PluginInfo:
    """Where a plugin came from: its name (the entry point's, or the file's in
    ``SALON_PLUGINS_DIR``), its distribution and version, its entry point or file."""

    name: str
    distribution: str | None = None
    version: str | None = None
    entry_point: str | None = None  # "retro = salon_retro"
    path: str | None = None  # a module of SALON_PLUGINS_DIR

    @property
    def origin(self) -> str:
        """The distribution and version, the plugins folder's file, or "registered in code"."""
        if self.distribution:
            return f"{self.distribution} {self.version}" if self.version else self.distribution
        if self.path:
            return f"SALON_PLUGINS_DIR {self.path}"
        return "registered in code"

    @property
    def label(self) -> str:
        """How messages name the plugin: ``'retro' from salon-retro 1.0``."""
        if self.distribution or self.path:
            return f"{self.name!r} from {self.origin}"
        return repr(self.name)

    @property
    def described(self) -> str:
        """The full description a load failure gives: name, entry point and distribution."""
        if self.entry_point:
            return f"plugin {self.name!r} (entry point {self.entry_point} in {self.origin})"
        if self.path:
            return f"plugin {self.name!r} ({self.path} in SALON_PLUGINS_DIR)"
        return f"plugin {self.name!r}"


class SalonPluginManager(pluggy.PluginManager):
    """pluggy's manager, knowing where each plugin came from and its settings' values."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self.settings: dict[str, PluginSettings] = {}
        self.disabled: tuple[str, ...] = ()

    def info(self, name: str) -> PluginInfo:
        return self.infos.get(name) or PluginInfo(name)

    def settings_of(self, name: str) -> PluginSettings:
        return self.settings.get(name, NO_SETTINGS)


def _cause(error: BaseException) -> str:
    text = " ".join(str(error).split())  # one line, whatever the exception wrote
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _hashable(plugin: object, name: str) -> object:
    """``plugin``, or a module holding its attributes when it cannot be hashed (a
    ``SimpleNamespace``): pluggy's per-plugin calling keeps plugins in a set."""
    import types

    try:
        hash(plugin)
    except TypeError:
        module = types.ModuleType(name)
        module.__dict__.update(vars(plugin))
        return module
    return plugin


def _hook_problems(manager: pluggy.PluginManager, plugin: object) -> list[str]:
    """Misspelt hooks, arguments a hook does not have, hook-named functions left unmarked."""
    problems, marked = [], []
    known = sorted(name for name in vars(manager.hook) if not name.startswith("_"))
    for attribute in dir(plugin):
        options = manager.parse_hookimpl_opts(plugin, attribute)
        if options is None:
            continue
        hook_name = options.get("specname") or attribute
        marked.append(hook_name)
        caller = getattr(manager.hook, hook_name, None)
        if caller is None or not caller.has_spec():
            if not options.get("optionalhook"):
                close = difflib.get_close_matches(hook_name, known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (the hooks: {', '.join(known)})"
                problems.append(f"implements unknown hook {hook_name!r}{hint}")
            continue
        function = getattr(plugin, attribute)
        try:
            arguments = list(inspect.signature(function).parameters)
        except (TypeError, ValueError):
            continue
        if unknown := [a for a in arguments if a not in caller.spec.argnames]:
            problems.append(
                f"{hook_name} takes argument(s) {', '.join(unknown)} the hook does not have "
                f"(it passes: {', '.join(caller.spec.argnames)})"
            )
    if not marked and not problems:
        unmarked = [name for name in known if callable(getattr(plugin, name, None))]
        hint = (
            f": mark {', '.join(unmarked)} with @hookimpl (from plugins import hookimpl)"
            if unmarked
            else " (mark its hook functions with @hookimpl, from plugins import hookimpl)"
        )
        problems.append("implements no hook" + hint)
    return problems


def register(manager: SalonPluginManager, plugin: object, info: PluginInfo) -> str | None:
    """Register ``plugin``; the one-line reason it cannot be, or None."""
    if (isinstance(plugin, type) and issubclass(plugin, SalonFormat)) or isinstance(plugin, SalonFormat):
        shown = plugin.__name__ if isinstance(plugin, type) else type(plugin).__name__
        return (
            f"{info.described} names the salon format {shown}, not a plugin: point the entry point at "
            f"the module whose @hookimpl register_salon_formats returns [{shown}()]"
        )
    plugin = _hashable(plugin, info.name)
    if problems := _hook_problems(manager, plugin):
        return f"{info.described} {'; '.join(problems)}"
    try:
        manager.register(plugin, name=info.name)
    except (pluggy.PluginValidationError, ValueError) as error:
        log.debug("%s cannot be registered", info.described, exc_info=True)
        return f"{info.described} cannot be registered: {_cause(error)}"
    manager.infos[info.name] = info
    return None


def _refused(info: PluginInfo, error: BaseException) -> str:
    log.debug("%s cannot be loaded", info.described, exc_info=error)
    return (
        f"{info.described} cannot be loaded: {_cause(error)} "
        f"(SALON_DISABLE_PLUGINS={info.name} starts without it)"
    )


def load_entry_points(manager: SalonPluginManager, disabled: Iterable[str]) -> list[str]:
    """Register every ``salon.plugins`` entry point not disabled; the failures, one line each."""
    disabled, failures = set(disabled), []
    for dist in importlib.metadata.distributions():
        for entry_point in dist.entry_points:
            if entry_point.group != hookspecs.ENTRY_POINT_GROUP or entry_point.name in disabled:
                continue
            info = PluginInfo(
                entry_point.name,
                dist.metadata["Name"],
                dist.version,
                f"{entry_point.name} = {entry_point.value}",
            )
            if (known := manager.infos.get(info.name)) is not None:
                if known.distribution != info.distribution:  # the same one found twice on the path is fine
                    failures.append(f"{info.described}: the name {info.name!r} is taken by {known.label}")
                continue
            try:
                plugin = entry_point.load()
            except Exception as error:  # noqa: BLE001  (any import failure is one line, not a traceback)
                failures.append(_refused(info, error))
                continue
            if (problem := register(manager, plugin, info)) is not None:
                failures.append(problem)
    return failures


def load_folder(manager: SalonPluginManager, folder: str, disabled: Iterable[str]) -> list[str]:
    """Register each ``*.py`` module of ``folder`` under its file's name, read afresh on every
    load (a worker loads plugins per planning job, so an edit is picked up on the next run)."""
    disabled, failures = set(disabled), []
    for path in sorted(Path(folder).glob("*.py")):
        name = path.stem
        if name.startswith("_") or name in disabled:
            continue
        info = PluginInfo(name, path=str(path))
        if (known := manager.infos.get(name)) is not None:
            failures.append(f"{info.described}: the name {name!r} is taken by {known.label}")
            continue
        module_name = DIR_MODULE_PREFIX + name
        try:
            spec = importlib.util.spec_from_file_location(module_name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module  # dataclasses and pickling look their module up
            spec.loader.exec_module(module)
        except Exception as error:  # noqa: BLE001
            sys.modules.pop(module_name, None)
            failures.append(_refused(info, error))
            continue
        if (problem := register(manager, module, info)) is not None:
            failures.append(problem)
    return failures


def load_given(manager: SalonPluginManager, plugins: Iterable[tuple[str, object]]) -> list[str]:
    """Register plugins handed over in code (tests, the authors' kit) as ``(name, plugin)``."""
    failures = []
    for name, plugin in plugins:
        if (problem := register(manager, plugin, PluginInfo(name))) is not None:
            failures.append(problem)
    return failures


def hook_names(manager: pluggy.PluginManager, name: str) -> list[str]:
    """The hooks plugin ``name`` implements, by name."""
    plugin = manager.get_plugin(name)
    return sorted(caller.name for caller in manager.get_hookcallers(plugin) or ())


def plugin_names(manager: pluggy.PluginManager) -> list[str]:
    return sorted(name for name, plugin in manager.list_name_plugin() if plugin is not None)


def settings_declared(manager: SalonPluginManager) -> Mapping[str, list]:
    """Each plugin's declared settings (``register_settings``), checked; raises PluginLoadError."""
    from plugins.registry import call_each  # the per-plugin call lives with the other dispatch
    from plugins.settings import Setting

    declared: dict[str, list] = {name: [] for name in plugin_names(manager)}
    failures = []
    for plugin, result in call_each(manager, "register_settings"):
        label = manager.info(plugin).label
        if result is None:
            continue
        if not isinstance(result, list | tuple) or not all(isinstance(s, Setting) for s in result):
            failures.append(f"plugin {label}: register_settings must return a list of plugins.Setting")
            continue
        names = [s.name for s in result]
        problems = [p for s in result if (p := s.problem()) is not None]
        problems += [
            f"setting {n!r} is declared twice" for n in sorted({n for n in names if names.count(n) > 1})
        ]
        if problems:
            failures.append(f"plugin {label}: register_settings: {'; '.join(problems)}")
            continue
        declared[plugin] = list(result)
    if failures:
        raise PluginLoadError("\n".join(failures))
    return declared
