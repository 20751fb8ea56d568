"""Asking the formats how well they fit a department's topics: the planner's numbers, and why.

The planner (``domain.salons.planner``), the ``topics`` query's ``fits`` and ``salon explain``
all read their numbers from :func:`topic_fits`, so what people are shown is what the planner
used. A topic among the department's top ``TOP_TOPICS`` has a relevance,
``0.5 + 0.5 × severity / top severity``, and each format's planner score is ``fit × relevance``:
a perfect fit for a minor topic does not beat a good fit for the department's main problem.
Topics further down are not considered by the planner; their fits are shown without a score.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from domain.salons.content import StoredFit
from plugins.context import Context
from plugins.formats import Fit
from plugins.i18n import LOCALES, Text, localised
from plugins.registry import RegisteredFormat
from plugins.topics import Topic

TOP_TOPICS = 3
NOT_ASKED = "not asked: its fit failed on an earlier topic of this department"


@dataclass(frozen=True)
class FormatFit:
    """One format's answer for one topic."""

    format_key: str
    score: float  # the fit as the planner uses it: clamped to 0..1; 0 when it failed
    reason: Text | None = None
    planner_score: float | None = None  # fit × relevance; None for a topic the planner does not consider
    error: str | None = None  # why there is no fit: the plugin's failure, in one line


@dataclass(frozen=True)
class TopicFits:
    topic: Topic
    relevance: float | None  # None beyond the top TOP_TOPICS
    fits: tuple[FormatFit, ...]  # best first


def relevance(topic: Topic, top_severity: float) -> float:
    return 0.5 + 0.5 * topic.severity / (top_severity or 1.0)


def _is_text(value: object) -> bool:
    return isinstance(value, str) or (
        isinstance(value, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    )


def ask(registered: RegisteredFormat, topic: Topic, context: Context) -> tuple[float, Text | None]:
    """The format's fit (clamped to 0..1) and reason; raises what the plugin raised, or
    TypeError for an answer that is not a number or a ``Fit``."""
    answer = registered.format.fit(topic, context.with_settings(registered.settings))
    score, reason = (answer.score, answer.reason) if isinstance(answer, Fit) else (answer, None)
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise TypeError(f"fit must return a number between 0 and 1 (or a Fit), got {answer!r}")
    if reason is not None and not _is_text(reason):
        raise TypeError(f"a Fit's reason must be a str or a dict of str by locale, got {reason!r}")
    return min(1.0, max(0.0, float(score))), reason


Failed = Callable[[RegisteredFormat, Exception], None]


def topic_fits(
    topics: Sequence[Topic],
    formats: Mapping[str, RegisteredFormat],
    context: Context,
    failed: Failed | None = None,
    top: int = TOP_TOPICS,
    considered_only: bool = True,
) -> list[TopicFits]:
    """Every format's fit for the department's top ``top`` topics (``considered_only``) or for
    every topic, best first within each topic.

    A format whose ``fit`` fails is reported once (``failed``) and not asked again in this
    department: its later fits read ``NOT_ASKED``."""
    shown = topics[:top] if considered_only else topics
    if not shown:
        return []
    top_severity = max(t.severity for t in topics[:top])
    broken: set[str] = set()
    found = []
    for rank, topic in enumerate(shown):
        weight = relevance(topic, top_severity) if rank < top else None
        fits = []
        for key, registered in formats.items():
            if key in broken:
                fits.append(FormatFit(key, 0.0, error=NOT_ASKED, planner_score=0.0 if weight else None))
                continue
            try:
                score, reason = ask(registered, topic, context)
            except Exception as error:  # noqa: BLE001  (any plugin failure is reported, not fatal)
                broken.add(key)
                if failed is not None:
                    failed(registered, error)
                fits.append(
                    FormatFit(
                        key,
                        0.0,
                        error=f"fit raised {type(error).__name__}: {error}",
                        planner_score=0.0 if weight else None,
                    )
                )
                continue
            planner_score = round(score * weight, 6) if weight is not None else None
            fits.append(FormatFit(key, score, reason, planner_score))
        fits.sort(key=lambda f: (-f.score, f.format_key))
        found.append(TopicFits(topic, weight, tuple(fits)))
    return found


def stored_fits(fits: TopicFits | None) -> tuple[StoredFit, ...]:
    """The fits as a salon keeps them (``StoredTopic.fits``), reasons in every locale."""
    if fits is None:
        return ()
    return tuple(
        StoredFit(
            format_key=fit.format_key,
            score=fit.score,
            planner_score=fit.planner_score,
            reasons={}
            if fit.reason is None
            else {locale: localised(fit.reason, locale) for locale in LOCALES},
            error=fit.error,
        )
        for fit in fits.fits
    )
