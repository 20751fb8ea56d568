"""The default planning policy, as pure functions over a ``Facts`` snapshot (``docs/architecture.md``).

For each department: rank its topics by severity, ask every allowed format how well it fits
each of the top ``TOP_TOPICS`` (``domain.salons.fits``: a pair scores ``fit × relevance``), and
build the best pair; then let every ``prepare_salon_draft`` implementation change the draft.

A plugin that fails affects only what it was asked about, and is named — by its plugin's
name, distribution and entry point — in a ``PlanProblem``, with its traceback in the log:

- a ``fit`` that raises or returns nonsense: that format is not asked again for this department;
- a ``build`` that raises or returns an invalid draft: the next best pair is built — unless it
  fails in a locale other than the default only (a plugin written for fewer languages): that
  locale is left out of the salon, logged, and read in the closest or the default language;
- a ``prepare_salon_draft`` that raises or leaves an invalid draft: that draft goes on as it was
  before that implementation (the others' changes kept), so the salon is still planned — one that
  failed on another locale's draft only leaves that locale out, as a failed build does.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pluggy

from domain.salons.fits import TOP_TOPICS, TopicFits, topic_fits
from domain.salons.problems import PlanProblem, Problems, failure_summary
from domain.salons.topics import rank_topics
from plugins.context import Context
from plugins.facts import Facts
from plugins.formats import SalonDraft
from plugins.i18n import LOCALES
from plugins.registry import PluginInfo, RegisteredFormat, SalonPluginManager, hook_callers
from plugins.settings import NO_SETTINGS, PluginSettings
from plugins.topics import Topic
from plugins.validation import draft_problems, validated

PREPARE = "prepare_salon_draft"
logger = logging.getLogger(__name__)

__all__ = [
    "TOP_TOPICS",
    "Candidate",
    "Plan",
    "PlanProblem",
    "PlannedSalon",
    "Preparer",
    "failure_summary",
    "plan",
    "preparers",
    "rebuilder",
]


@dataclass(frozen=True)
class Candidate:
    topic: Topic
    format_key: str
    fit: float
    score: float


@dataclass
class PlannedSalon:
    department_code: str
    topic: Topic
    format_key: str
    fit: float
    drafts: dict[str, SalonDraft]  # by locale; people, groups and departments agree across them
    fits: TopicFits | None = None  # every format's answer for the topic: why this one was chosen


@dataclass
class Plan:
    salons: list[PlannedSalon] = field(default_factory=list)
    problems: list[PlanProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Preparer:
    """One plugin's ``prepare_salon_draft``, called alone (pluggy's wrappers around it)."""

    info: PluginInfo
    caller: pluggy.HookCaller
    settings: PluginSettings = NO_SETTINGS


def preparers(manager: pluggy.PluginManager) -> list[Preparer]:
    """Every plugin's ``prepare_salon_draft``, in pluggy's order."""
    known = isinstance(manager, SalonPluginManager)
    return [
        Preparer(
            manager.info(name) if known else PluginInfo(name),
            caller,
            manager.settings_of(name) if known else NO_SETTINGS,
        )
        for name, caller in hook_callers(manager, PREPARE)
    ]


def department_topics(facts: Facts, department_code: str) -> list[Topic]:
    skills = {code: metric.skill for code, metric in facts.metrics.items()}
    return rank_topics(
        (g for g in facts.gaps if g.department_code == department_code),
        (n for n in facts.growth_needs if n.department_code == department_code),
        skills,
    )


def candidates(fits: list[TopicFits]) -> list[Candidate]:
    """Every (topic, format) pair with a positive fit, best score first."""
    found = [
        (Candidate(entry.topic, fit.format_key, fit.score, fit.planner_score), rank)
        for rank, entry in enumerate(fits)
        for fit in entry.fits
        if fit.score > 0 and fit.planner_score is not None
    ]
    found.sort(key=lambda pair: (-pair[0].score, pair[1], pair[0].format_key))
    return [candidate for candidate, _ in found]


Failure = tuple[int, Preparer, str, Exception | None]  # which implementation, why, what it raised


def _prepare(
    draft: SalonDraft,
    candidate: Candidate,
    context: Context,
    prepare: list[Preparer],
) -> tuple[SalonDraft, list[Failure]]:
    """The draft after every implementation, and the ones that raised or left it invalid (each
    undone, the others' changes kept)."""
    failures: list[Failure] = []
    for index, preparer in enumerate(prepare):
        before = copy.deepcopy(draft)
        label = f"plugin {preparer.info.label}: {PREPARE}"
        try:
            preparer.caller(
                draft=draft,
                topic=candidate.topic,
                context=context.with_settings(preparer.settings),
                format_key=candidate.format_key,
            )
        except Exception as error:  # noqa: BLE001
            message = f"{label} raised {type(error).__name__}: {error}; the {context.locale} draft of format {candidate.format_key!r} is kept without its change"
            failures.append((index, preparer, message, error))
            draft = before
            continue
        if found := draft_problems(draft, context):
            message = (
                f"{label} left the {context.locale} draft of format {candidate.format_key!r} invalid "
                f"(kept without its change): " + "; ".join(found)
            )
            failures.append((index, preparer, message, None))
            draft = before
    return draft, failures


def _left_out(who: str, candidate: Candidate, context: Context, error: object) -> None:
    logger.warning(
        "%s could not make the %s draft of format %r for department %s (%s); the salon is kept "
        "without that language, whose readers read the closest or the default one",
        who, context.locale, candidate.format_key, context.department_code, error,
    )  # fmt: skip


def build_drafts(
    candidate: Candidate,
    registered: RegisteredFormat,
    context: Context,
    locales: Iterable[str],
    prepare: Iterable[Preparer] = (),
    problems: Problems | None = None,
) -> dict[str, SalonDraft]:
    """The draft in every locale, validated, then prepared by the plugins; people and
    departments come from the first locale's (the default). A format that cannot build another
    locale (a plugin written for fewer languages: a ``KeyError`` on ``context.locale``, an empty
    title), or a ``prepare_salon_draft`` that fails on another locale's draft only, leaves that
    locale out, logged: its readers read the closest or the default language
    (``SalonContent.texts_in``), and the salon is not lost."""
    problems = problems or Problems([], context.department_code)
    prepare = list(prepare)
    drafts: dict[str, SalonDraft] = {}
    failed_first: set[int] = set()  # the implementations that failed on the default locale's draft
    for locale in locales:
        local = context.in_locale(locale)
        try:
            built = registered.format.build(candidate.topic, local.with_settings(registered.settings))
            draft = validated(built, registered.label, candidate.format_key, local)
        except Exception as error:
            if not drafts:
                raise  # the default locale's draft is the salon: without it the pair fails
            _left_out(
                f"plugin {registered.label}: build", candidate, local, f"{type(error).__name__}: {error}"
            )
            continue
        draft, failures = _prepare(draft, candidate, local, prepare)
        if drafts and (new := [f for f in failures if f[0] not in failed_first]):
            _, preparer, message, _ = new[0]
            _left_out(f"plugin {preparer.info.label}: {PREPARE}", candidate, local, message)
            continue  # it worked on the default locale's draft: that one reads better than a draft without it
        for _, preparer, message, error in failures:
            problems.add(preparer.info, PREPARE, message, error)
        if not drafts:
            failed_first = {index for index, *_ in failures}
        if not draft.departments:
            draft.departments = [context.department_code]
        drafts[locale] = draft
    first = next(iter(drafts.values()))
    for draft in drafts.values():
        draft.presenters, draft.participants, draft.groups = (
            first.presenters,
            first.participants,
            first.groups,
        )
        draft.host_department, draft.departments = first.host_department, first.departments
    return drafts


def plan_department(
    facts: Facts,
    department_code: str,
    formats: Mapping[str, RegisteredFormat],
    problems: list[PlanProblem],
    locales: Iterable[str] = LOCALES,
    default_locale: str = LOCALES[0],
    prepare: Iterable[Preparer] = (),
) -> PlannedSalon | None:
    """The department's salon, or None when no format fits any of its top topics."""
    context = Context(facts, department_code, default_locale)
    locales = [default_locale, *(loc for loc in locales if loc != default_locale)]
    reported = Problems(problems, department_code)
    fits = topic_fits(
        department_topics(facts, department_code),
        formats,
        context,
        lambda registered, error: reported.failed(registered, "fit", error),
    )
    by_topic = {entry.topic.key: entry for entry in fits}
    broken: set[str] = set()
    for candidate in candidates(fits):
        if candidate.format_key in broken:
            continue
        registered = formats[candidate.format_key]
        try:
            drafts = build_drafts(candidate, registered, context, locales, list(prepare), reported)
        except Exception as error:  # noqa: BLE001
            broken.add(candidate.format_key)  # one report per plugin and department is enough
            reported.failed(registered, "build", error)
            continue
        return PlannedSalon(
            department_code,
            candidate.topic,
            candidate.format_key,
            candidate.fit,
            drafts,
            by_topic[candidate.topic.key],
        )
    return None


def rebuilder(
    facts: Facts,
    formats: Mapping[str, RegisteredFormat],
    problems: list[PlanProblem],
    locales: Iterable[str] = LOCALES,
    default_locale: str = LOCALES[0],
    prepare: Iterable[Preparer] = (),
) -> Callable[[PlannedSalon, Sequence[str]], dict[str, SalonDraft] | None]:
    """Builds a planned salon's drafts again for the departments that will attend it together
    (``Context.attendees``), as ``domain.salons.sharing`` asks when several share one salon. A
    build that fails is reported like any other and gives None: the salon keeps its drafts."""
    locales, prepare = [default_locale, *(loc for loc in locales if loc != default_locale)], list(prepare)

    def rebuild(salon: PlannedSalon, departments: Sequence[str]) -> dict[str, SalonDraft] | None:
        registered = formats.get(salon.format_key)
        if registered is None:
            return None
        context = Context(facts, salon.department_code, default_locale).with_attending(departments)
        reported = Problems(problems, salon.department_code)
        # a plugin that failed on this department's first build is reported (and logged) once
        reported.seen |= {
            (p.plugin, p.hook, about)
            for p in problems
            if p.department_code == salon.department_code
            for about in ("", salon.format_key)
        }
        candidate = Candidate(salon.topic, salon.format_key, salon.fit, salon.fit)
        try:
            return build_drafts(candidate, registered, context, locales, prepare, reported)
        except Exception as error:  # noqa: BLE001  (the salon stands as it was built)
            reported.failed(registered, "build", error)
            return None

    return rebuild


def plan(
    facts: Facts,
    formats: Mapping[str, RegisteredFormat],
    department_codes: Iterable[str] | None = None,
    locales: Iterable[str] = LOCALES,
    default_locale: str = LOCALES[0],
    prepare: Iterable[Preparer] = (),
) -> Plan:
    """A salon for each department that has a topic some format fits, and every problem met."""
    result = Plan()
    codes = sorted(facts.departments) if department_codes is None else list(department_codes)
    prepare = list(prepare)
    for code in codes:
        salon = plan_department(facts, code, formats, result.problems, list(locales), default_locale, prepare)
        if salon is not None:
            result.salons.append(salon)
    return result
