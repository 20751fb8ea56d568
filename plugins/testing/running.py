"""Running the real planner on a plugin in a test, and checking a format the way the host does.

``plan`` registers the given formats and plugins exactly as installed ones are registered
(same checks, same settings handling, same per-plugin calls and failure containment) and runs
the product's planner, shared exchanges merged as the monthly planning merges them; nothing is read from the environment, so a test sees only what it
passes. ``format_problems`` asks a format everything the planner will ask it, in every
locale, and lists what the host would refuse or a reader would miss. A plugin need not speak
every shipped language: one with English only (or its own catalogs' few locales) passes, and its
readers of the others read English; a ``build`` that fails in any locale does not.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from domain.locales import negotiate
from domain.salons import planner
from domain.salons.fits import TopicFits, topic_fits
from domain.salons.sharing import share_hosted
from plugins.context import Context
from plugins.facts import Facts
from plugins.formats import SalonDraft, SalonFormat
from plugins.hookspecs import ENTRY_POINT_GROUP, hookimpl
from plugins.i18n import LOCALES
from plugins.registry import RegisteredFormat, SalonPluginManager, get_plugin_manager, load_formats
from plugins.settings import variable
from plugins.testing.builders import sample_company
from plugins.validation import draft_problems

FORMATS_PLUGIN = "formats"  # the name the formats handed to ``plan(formats=…)`` are registered under


@dataclass
class PlanResult:
    """What the planner made of the plugins: a salon per department — but for departments that
    attend another's shared exchange (``joined``: department → the department whose salon it
    attends) — and every problem met."""

    salons: list[planner.PlannedSalon]
    problems: list[planner.PlanProblem]
    formats: dict[str, RegisteredFormat]
    manager: SalonPluginManager
    facts: Facts
    joined: dict[str, str] = field(default_factory=dict)

    @property
    def messages(self) -> list[str]:
        return [problem.message for problem in self.problems]

    def salon(self, department: str) -> planner.PlannedSalon:
        """The salon the department attends: its own, or the shared one it joined (whose
        ``department_code`` is the owner's); a ``LookupError`` says why there is none."""
        department = self.joined.get(department, department)
        for salon in self.salons:
            if salon.department_code == department:
                return salon
        problems = [p.message for p in self.problems if p.department_code == department]
        why = "; ".join(problems) if problems else "no format fits any of its top topics"
        raise LookupError(f"no salon for {department}: {why}")

    def draft(self, department: str, locale: str = "en") -> SalonDraft:
        """The department's draft in ``locale``, as it would be stored — or, for a locale the
        format could not build, as its readers get it: the closest language, else the default."""
        drafts = self.salon(department).drafts
        if locale in drafts:
            return drafts[locale]
        closest = negotiate([locale], drafts)
        return drafts[closest] if closest is not None else next(iter(drafts.values()))


def _built_in() -> list[tuple[str, object]]:
    """Our own built-in formats' plugins, found through our entry points as the host finds them."""
    found = importlib.metadata.distribution("ehr-salon").entry_points
    return [(ep.name, importlib.import_module(ep.value)) for ep in found if ep.group == ENTRY_POINT_GROUP]


def _named(plugins: Iterable[object] | Mapping[str, object]) -> list[tuple[str, object]]:
    if isinstance(plugins, Mapping):
        return list(plugins.items())
    named = []
    for plugin in plugins:
        name = getattr(plugin, "__name__", type(plugin).__name__)
        named.append((name.rsplit(".", 1)[-1], plugin))
    return named


def _raw(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def plugin_manager(
    formats: Sequence[SalonFormat] = (),
    plugins: Iterable[object] | Mapping[str, object] = (),
    *,
    builtin: bool = False,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
) -> SalonPluginManager:
    """A manager holding the given formats (as one plugin, ``"formats"``), the given plugins
    (modules or objects with ``@hookimpl`` functions; a mapping names them, otherwise a module's
    last name part is its name) and, with ``builtin``, our three built-in formats.

    ``settings`` gives setting values by plugin name, as ``SALON_PLUGIN_<KEY>_<NAME>`` would:
    they are parsed and checked like the real ones."""
    given = _built_in() if builtin else []
    given += _named(plugins)
    if formats:
        chosen = list(formats)
        given.append((FORMATS_PLUGIN, SimpleNamespace(register_salon_formats=hookimpl(lambda: chosen))))
    environ = {
        variable(plugin, name): _raw(value)
        for plugin, values in (settings or {}).items()
        for name, value in values.items()
        if value is not None
    }
    return get_plugin_manager(entry_points=False, plugins=given, environ=environ)


def plan(
    formats: Sequence[SalonFormat] = (),
    facts: Facts | None = None,
    *,
    plugins: Iterable[object] | Mapping[str, object] = (),
    builtin: bool = False,
    departments: Iterable[str] | None = None,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
    locales: Sequence[str] | None = None,
    default_locale: str = LOCALES[0],
    share: bool = True,
) -> PlanResult:
    """Run the product's planner with these formats and plugins (see :func:`plugin_manager`)
    on ``facts`` (default: :func:`plugins.testing.sample_company`), for ``departments`` (default
    all), in ``locales`` (default: every shipped one, as planning does). ``builtin=True`` lets
    your format compete with ours.

    As in the monthly planning, departments lagging the same host on the same metric with the
    same format share one salon, built again for all of them (``domain.salons.sharing``): the
    result holds the shared salon once and says who joined it (``PlanResult.joined``).
    ``share=False`` leaves each department's salon as its format built it for that department
    alone (what is merged, before the merging)."""
    manager = plugin_manager(formats, plugins, builtin=builtin, settings=settings)
    registered = load_formats(manager)
    facts = facts if facts is not None else sample_company()
    locales, prepare = list(locales or LOCALES), planner.preparers(manager)
    result = planner.plan(facts, registered, departments, locales, default_locale, prepare)
    if not share:
        return PlanResult(result.salons, result.problems, registered, manager, facts)
    rebuild = planner.rebuilder(facts, registered, result.problems, locales, default_locale, prepare)
    salons, joined = share_hosted(result.salons, rebuild)
    return PlanResult(salons, result.problems, registered, manager, facts, joined)


def fits(
    formats: Sequence[SalonFormat] = (),
    facts: Facts | None = None,
    department: str = "OPS",
    *,
    plugins: Iterable[object] | Mapping[str, object] = (),
    builtin: bool = False,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
    locale: str = "en",
) -> list[TopicFits]:
    """Every format's fit and reason for each of the department's topics, best first — what
    ``salon explain`` prints — with the planner's score for the top three."""
    from domain.salons.planner import department_topics

    manager = plugin_manager(formats, plugins, builtin=builtin, settings=settings)
    facts = facts if facts is not None else sample_company()
    context = Context(facts, department, locale)
    return topic_fits(
        department_topics(facts, department), load_formats(manager), context, considered_only=False
    )


def format_problems(
    salon_format: SalonFormat,
    facts: Facts | None = None,
    *,
    plugins: Iterable[object] | Mapping[str, object] = (),
    settings: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[str]:
    """Everything the host would refuse about ``salon_format``, or a reader would miss, asked
    the way planning asks: registration (key, name, description), a name and description readable
    in every locale (its own, else English: :func:`_text_problems`), ``fit`` for every topic of
    every department, ``build`` in every locale for the topics it fits — a valid draft, with the
    same people and departments in every locale.
    Empty when all is well.

    A format that reads settings is checked as its plugin registers it: pass the plugin
    (``plugins={"my_plugin": my_module}``) and any ``settings``; the format is then the one the
    plugin registers under ``salon_format.key``."""
    facts = facts if facts is not None else sample_company()
    problems: list[str] = []
    try:
        manager = plugin_manager([] if plugins else [salon_format], plugins, settings=settings)
        registered = load_formats(manager)[salon_format.key]
    except KeyError:
        return [f"no plugin given registers a format with the key {salon_format.key!r}"]
    except Exception as error:  # noqa: BLE001  (the host's own refusal is the answer)
        return [str(error)]
    for attribute in ("name", "description"):
        problems += _text_problems(attribute, getattr(salon_format, attribute))
    from domain.salons.planner import department_topics

    for department in facts.departments:
        context = Context(facts, department, LOCALES[0])
        asked = topic_fits(
            department_topics(facts, department),
            {salon_format.key: registered},
            context,
            considered_only=False,
        )
        for entry in asked:
            (fit,) = entry.fits
            where = f"{department} {entry.topic.key}"
            if fit.error:
                problems.append(f"{where}: {fit.error}")
                continue
            if fit.score <= 0:
                continue
            problems += _build_problems(registered, entry, facts, department, where)
    return problems


def _text_problems(attribute: str, text: object) -> list[str]:
    """A ``Text`` by locale need not cover every shipped locale — a reader of a missing one reads
    English (``plugins.i18n.localised``) — but it must have that English, and only locale
    keys the host ships (a typo such as ``zh_CN`` would never be read)."""
    if not isinstance(text, Mapping):
        return []
    problems = []
    if unknown := [locale for locale in text if locale not in LOCALES]:
        problems.append(
            f"{attribute}: {', '.join(map(repr, unknown))} is not a locale the host ships ({', '.join(LOCALES)})"
        )
    if "en" not in text and any(locale not in text for locale in LOCALES):
        problems.append(
            f"{attribute}: no English text, the fallback of the languages it lacks "
            f"({', '.join(locale for locale in LOCALES if locale not in text)})"
        )
    return problems


def _build_problems(
    registered: RegisteredFormat, entry: TopicFits, facts: Facts, department: str, where: str
) -> list[str]:
    drafts: dict[str, SalonDraft] = {}
    problems = []
    for locale in LOCALES:
        local = Context(facts, department, locale)
        try:
            draft = registered.format.build(entry.topic, local.with_settings(registered.settings))
        except Exception as error:  # noqa: BLE001
            return [f"{where}: build in {locale} raised {type(error).__name__}: {error}"]
        if found := draft_problems(draft, local):
            problems.append(f"{where}: the {locale} draft: " + "; ".join(found))
        else:
            drafts[locale] = draft
    if len(drafts) > 1:
        first_locale, first = next(iter(drafts.items()))
        for locale, draft in drafts.items():
            for field in ("presenters", "participants", "groups", "host_department", "departments"):
                if getattr(draft, field) != getattr(first, field):
                    problems.append(
                        f"{where}: {field} differ between {first_locale} and {locale} "
                        f"(the planner keeps {first_locale}'s; make them independent of the locale)"
                    )
    return problems


__all__ = ["PlanResult", "draft_problems", "fits", "format_problems", "plan", "plugin_manager"]
