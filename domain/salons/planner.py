"""The default planning policy, as pure functions over a ``Facts`` snapshot (``docs/architecture.md``).

For each department: rank its topics by severity, ask every allowed format how well it fits
each of the top ``TOP_TOPICS``, and build the best pair. A pair scores ``fit × relevance``,
where relevance ``0.5 + 0.5 × severity / top severity`` keeps a perfect fit for a minor topic
from beating a good fit for the department's main problem. A plugin that raises or returns
nonsense is reported (``PlanProblem`` naming it) and the next best pair is tried, so one
broken plugin never stops the other departments' planning.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from domain.salons.topics import rank_topics
from plugins.context import Context
from plugins.facts import Facts
from plugins.formats import SalonDraft
from plugins.i18n import LOCALES
from plugins.registry import RegisteredFormat
from plugins.topics import Topic
from plugins.validation import validated

TOP_TOPICS = 3
Prepare = Callable[[SalonDraft, Topic, Context, str], list[str]]  # see registry.preparer


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


@dataclass(frozen=True)
class PlanProblem:
    department_code: str
    plugin: str
    message: str


@dataclass
class Plan:
    salons: list[PlannedSalon] = field(default_factory=list)
    problems: list[PlanProblem] = field(default_factory=list)


def department_topics(facts: Facts, department_code: str) -> list[Topic]:
    skills = {code: metric.skill for code, metric in facts.metrics.items()}
    return rank_topics(
        (g for g in facts.gaps if g.department_code == department_code),
        (n for n in facts.growth_needs if n.department_code == department_code),
        skills,
    )


def candidates(
    topics: list[Topic],
    formats: Mapping[str, RegisteredFormat],
    context: Context,
    problems: list[PlanProblem],
    top: int = TOP_TOPICS,
) -> list[Candidate]:
    """Every (topic, format) pair with a positive fit, best score first."""
    considered = topics[:top]
    if not considered:
        return []
    top_severity = max(t.severity for t in considered) or 1.0
    found, broken = [], set()
    for rank, topic in enumerate(considered):
        relevance = 0.5 + 0.5 * topic.severity / top_severity
        for key, registered in formats.items():
            if key in broken:
                continue
            try:
                fit = registered.format.fit(topic, context)
                if isinstance(fit, bool) or not isinstance(fit, (int, float)) or not math.isfinite(fit):
                    raise TypeError(f"fit must return a number between 0 and 1, got {fit!r}")
            except Exception as error:  # noqa: BLE001  (any plugin failure is reported, not fatal)
                broken.add(key)
                problems.append(_problem(context.department_code, registered, "fit", error))
                continue
            fit = min(1.0, max(0.0, float(fit)))
            if fit > 0:
                found.append((Candidate(topic, key, fit, round(fit * relevance, 6)), rank))
    found.sort(key=lambda pair: (-pair[0].score, pair[1], pair[0].format_key))
    return [candidate for candidate, _ in found]


def build_drafts(
    candidate: Candidate,
    registered: RegisteredFormat,
    context: Context,
    locales: Iterable[str],
    prepare: Prepare | None = None,
) -> dict[str, SalonDraft]:
    """The draft in every locale, validated (again after the ``prepare_salon_draft`` hooks);
    people and departments come from the first locale's."""
    drafts: dict[str, SalonDraft] = {}
    for locale in locales:
        local = context.in_locale(locale)
        draft = validated(
            registered.format.build(candidate.topic, local), registered.plugin, candidate.format_key, local
        )
        if prepare is not None:
            names = prepare(draft, candidate.topic, local, candidate.format_key)
            draft = validated(
                draft, " / ".join(names), candidate.format_key, local, stage="after prepare_salon_draft"
            )
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
    prepare: Prepare | None = None,
) -> PlannedSalon | None:
    """The department's salon, or None when no format fits any of its top topics."""
    context = Context(facts, department_code, default_locale)
    locales = [default_locale, *(loc for loc in locales if loc != default_locale)]
    broken: set[str] = set()
    for candidate in candidates(department_topics(facts, department_code), formats, context, problems):
        if candidate.format_key in broken:
            continue
        registered = formats[candidate.format_key]
        try:
            drafts = build_drafts(candidate, registered, context, locales, prepare)
        except Exception as error:  # noqa: BLE001
            broken.add(candidate.format_key)  # one report per plugin and department is enough
            problems.append(_problem(department_code, registered, "build", error))
            continue
        return PlannedSalon(department_code, candidate.topic, candidate.format_key, candidate.fit, drafts)
    return None


def plan(
    facts: Facts,
    formats: Mapping[str, RegisteredFormat],
    department_codes: Iterable[str] | None = None,
    locales: Iterable[str] = LOCALES,
    default_locale: str = LOCALES[0],
    prepare: Prepare | None = None,
) -> Plan:
    """A salon for each department that has a topic some format fits, and every problem met."""
    result = Plan()
    codes = sorted(facts.departments) if department_codes is None else list(department_codes)
    for code in codes:
        salon = plan_department(facts, code, formats, result.problems, list(locales), default_locale, prepare)
        if salon is not None:
            result.salons.append(salon)
    return result


def _problem(department_code: str, registered: RegisteredFormat, stage: str, error: Exception) -> PlanProblem:
    from plugins.registry import PluginError

    if isinstance(error, PluginError):  # already names the plugin at fault
        return PlanProblem(department_code, error.plugin or registered.plugin, str(error))
    message = (
        f"plugin {registered.plugin!r}: format {registered.format.key!r}.{stage} raised "
        f"{type(error).__name__}: {error}"
    )
    return PlanProblem(department_code, registered.plugin, message)
