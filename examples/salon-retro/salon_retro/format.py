"""``retrospective_circle``: a shortfall that got worse, talked through in small circles.

Fits a shortfall whose metric got worse since the period before (``gap.worsening``, which knows
the metric's direction): 0.5, plus up to 0.4 for feedback about the metric (full marks at one
mention per five people) — people who already say what hurts make a good circle. Everyone
attends, in circles of at most ``circle_size``; the agenda splits ``minutes`` between the
numbers, what went well, what did not and what to try next.
"""

from __future__ import annotations

from plugins import SHORTFALL, AgendaItem, Fit, SalonDraft, SalonFormat

from salon_retro.texts import TEXTS, text, texts

BASE, FEEDBACK = 0.5, 0.4


def circles(people: list[str], size: int) -> list[list[str]]:
    """``people`` dealt in turn into the fewest circles of at most ``size``."""
    if not people:
        return []
    count = -(-len(people) // size)
    return [people[i::count] for i in range(count)]


def split(minutes: int) -> list[int]:
    """The agenda's four parts: a sixth for the numbers, the rest shared out, summing to ``minutes``."""
    numbers = max(1, minutes // 6)
    rest = minutes - numbers
    well, not_well = rest // 3, rest // 3
    return [numbers, well, not_well, rest - well - not_well]


class RetrospectiveCircle(SalonFormat):
    key = "retrospective_circle"
    name = TEXTS["name"]
    description = TEXTS["description"]

    def fit(self, topic, context) -> Fit:
        if topic.kind != SHORTFALL or topic.gap is None or not topic.gap.worsening:
            return Fit(0.0, texts("fit.not_worsening"))
        mentions = sum(theme.count for theme in context.themes(topic.metric_code))
        headcount = max(1, len(context.employees()))
        feedback = min(1.0, mentions / headcount / 0.2)
        metric = context.metric(topic.metric_code).name
        return Fit(
            round(BASE + FEEDBACK * feedback, 4), texts("fit.worsening", metric=metric, mentions=mentions)
        )

    def build(self, topic, context) -> SalonDraft:
        locale, gap = context.locale, topic.gap
        metric = context.metric(topic.metric_code)
        figures = {
            "metric": metric.name,
            "actual": context.number(gap.actual, metric.unit),
            "previous": context.number(gap.previous, metric.unit),
        }
        numbers, well, not_well, next_ = split(context.settings["minutes"])
        questions = [text("question.change", locale, **figures)]
        questions += [
            text("question.theme", locale, theme=theme.theme, count=theme.count)
            for theme in context.themes(topic.metric_code)[:2]
        ]
        questions.append(text("question.try", locale))
        people = [employee.employee_id for employee in context.employees()]
        return SalonDraft(
            title=text("title", locale, **figures),
            agenda=[
                AgendaItem(text("agenda.numbers", locale, **figures), numbers),
                AgendaItem(text("agenda.well", locale), well),
                AgendaItem(text("agenda.not_well", locale), not_well),
                AgendaItem(text("agenda.next", locale), next_),
            ],
            questions=questions,
            participants=people,
            groups=circles(people, context.settings["circle_size"]),
        )
