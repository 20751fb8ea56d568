"""Ranking topics by severity (the default planning policy).

Both kinds of topic get a severity on the gap engine's scale, so they rank in one list: a
growth need of share ``s`` wished by ``n`` people weighs like a gap of ``s`` below target
affecting ``n`` people (``100 × s × (1 + ln(1 + n) / ln 201)``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from plugins.facts import GapFacts, GrowthNeedFacts
from plugins.topics import GROWTH, SHORTFALL, Topic

PEOPLE_SCALE = math.log(201)  # the gap engine's people weight: 1 for nobody, 2 for 200 people


def growth_severity(share: float, wishers: int) -> float:
    return round(100 * share * (1 + math.log(1 + wishers) / PEOPLE_SCALE), 4)


def rank_topics(
    gaps: Iterable[GapFacts],
    needs: Iterable[GrowthNeedFacts],
    skills: dict[str, str | None] | None = None,
) -> list[Topic]:
    """Every topic of the given findings, most severe first (ties: shortfalls, then by name).

    A gap is a topic when it is below target or worsening with a positive severity; a growth
    need is one whenever somebody asks. ``skills`` maps metric codes to the skill that moves
    them, so a shortfall topic names its skill.
    """
    skills = skills or {}
    topics = [
        Topic(
            kind=SHORTFALL,
            department_code=gap.department_code,
            metric_code=gap.metric_code,
            skill=skills.get(gap.metric_code),
            severity=gap.severity,
            period=gap.period,
            gap=gap,
        )
        for gap in gaps
        if (gap.below_target or gap.worsening) and gap.severity > 0
    ]
    topics += [
        Topic(
            kind=GROWTH,
            department_code=need.department_code,
            metric_code=need.metric_code,
            skill=need.skill,
            severity=growth_severity(need.share, need.wishers),
            period=need.period,
            growth_need=need,
        )
        for need in needs
        if need.wishers > 0
    ]
    return sorted(
        topics, key=lambda t: (-t.severity, t.kind != SHORTFALL, t.metric_code or "", t.skill or "")
    )


def topic_title(topic: Topic, context) -> str:
    """A one-line title in ``context.locale``, naming the department and the figures."""
    department = context.department_named(topic.department_code).name
    if topic.kind == GROWTH and topic.growth_need is not None:
        return context.t(
            "topic.growth",
            department=department,
            share=context.share(topic.growth_need.share),
            skill=topic.skill,
        )
    metric = context.metric(topic.metric_code)
    gap = topic.gap
    if gap is not None and gap.below_target and gap.target is not None:
        return context.t(
            f"topic.shortfall.{metric.direction}",  # below a target, or above a ceiling
            department=department,
            metric=metric.name,
            actual=context.number(gap.actual, metric.unit),
            target=context.number(gap.target, metric.unit),
        )
    change = (
        context.change(gap.change, metric.unit, gap.previous, gap.actual)
        if gap is not None
        else context.change(None)
    )
    return context.t("topic.worsening", department=department, metric=metric.name, change=change)
