"""``data_review_workshop``: the whole department works through the numbers in mixed groups.

Fits any shortfall, and the better the more there is to look at: feedback about the metric
(mentions per head, full marks at one per five people), drivers concentrated in a segment
(a segment's share of the gap beyond its share of the people, full marks at +20 points), and a
sudden deterioration (full marks at 10% worse) — a change is a question the data can answer.
"""

from __future__ import annotations

from plugins import SHORTFALL, AgendaItem, Fit, SalonDraft, SalonFormat, hookimpl

BASE_FIT = 0.3


def _people_share(driver, drivers) -> float:
    """The segment's share of the people (from the segments' sizes when the facts lack it)."""
    if driver.people_share is not None:
        return driver.people_share
    return driver.people / (sum(d.people for d in drivers if d.dimension == driver.dimension) or 1)


def _excess(driver, drivers) -> float:
    """How much more of the gap a segment carries than its share of the people."""
    return driver.share - _people_share(driver, drivers)


def _most_overrepresented(drivers):
    """The segment most over its part of the gap, if any is a finding (``DriverFacts.finding``):
    half the gap from half the people is an even split, not a driver."""
    segments = [d for d in drivers if d.dimension in ("tenure", "team")]
    findings = [d for d in segments if d.finding]
    return max(findings, key=lambda d: (_excess(d, segments), d.share), default=None)


def _evidence(topic, context) -> tuple[float, float, float]:
    """(feedback, drivers, deterioration), each 0..1."""
    headcount = max(1, len(context.employees()))
    mentions = sum(t.count for t in context.themes(topic.metric_code))
    feedback = min(1.0, mentions / headcount / 0.2)
    segments = context.drivers(topic.metric_code)
    top = _most_overrepresented(segments)
    drivers = 0.0 if top is None else min(1.0, max(0.0, _excess(top, segments)) / 0.2)
    gap = topic.gap
    bad = 0.0
    if gap.change is not None:
        bad = -gap.change if context.metric(topic.metric_code).higher_is_better else gap.change
    return feedback, drivers, min(1.0, max(0.0, bad) / 0.1)


def _charts(topic, context, metric) -> list[dict]:
    """The data pack: teams against the target (or the average), the year's trend against the
    target, and each person's months — red worse, green better in the metric's direction."""
    charts, t, unit = context.charts, context.t, metric.unit
    people = context.series(topic.metric_code, employees=True)
    months = sorted({v.period for v in people})[-3:]  # the data period's months
    triples = []
    for value in people:
        employee = context.facts.employees.get(value.employee_id)
        if value.period in months and employee is not None:
            triples.append((employee.team or "—", value.employee_id, value.value))
    other = t("chart.other")
    team_rows = [
        {"team": row["group"], "value": row["value"], "people": row["people"]}
        for row in charts.group_means(triples, other)
    ]
    trend = [
        {"month": v.period, "actual": v.value, "target": v.target} for v in context.series(topic.metric_code)
    ]
    cells = [{"month": v.period, "employee": v.employee_id, "value": v.value} for v in people]
    name, direction = metric.name, metric.direction
    axis = context.axis_title(metric)  # the name with its unit in the reader's words
    # a person's value is comparable with the target, except a sum's: the department's target
    # is the sum of everyone's, so people and teams are judged against their average instead
    target = None if metric.is_sum else topic.gap.target
    average = sum(v for _, _, v in triples) / len(triples) if triples else None
    if target is not None:
        reference, sides = target, (t("chart.better_than_target"), t("chart.worse_than_target"))
    else:
        reference, sides = average, (t("chart.better_than_average"), t("chart.worse_than_average"))
    # only the charts the data can fill: a metric recorded at department level only has no
    # teams or people to draw, and an empty bar chart or heatmap tells the room nothing
    found = []
    if team_rows:
        found.append(
            charts.bar(
                t("chart.by_team", metric=name),
                team_rows,
                "team",
                "value",
                t("chart.team"),
                axis,
                unit=unit,
                order=charts.natural_order((r["team"] for r in team_rows), last=[other]),
                reference=reference,
                direction=direction,
                sides=sides,
            )
        )
    if trend:
        found.append(
            charts.line_with_target(
                t("chart.trend", metric=name),
                trend,
                "month",
                "actual",
                "target",
                t("chart.month"),
                t("chart.actual"),
                t("chart.target"),
                unit=unit,
                axis_title=axis,
            )
        )
    if cells:
        found.append(
            charts.heatmap(
                t("chart.heatmap", metric=name),
                cells,
                "month",
                "employee",
                "value",
                t("chart.month"),
                t("chart.employee"),
                axis,
                unit=unit,
                direction=direction,
                midpoint=target if target is not None else average,
            )
        )
    return found  # fmt: skip


def _questions(topic, context, metric) -> list[str]:
    t, gap, unit = context.t, topic.gap, metric.unit
    figures = {"metric": metric.name, "actual": context.number(gap.actual, unit)}
    figures["target"] = context.number(gap.target, unit)
    questions = []
    if gap.previous is not None and gap.change is not None and gap.worsening:
        previous = context.number(gap.previous, unit)
        questions.append(
            t("workshop.question.change", previous=previous, change=context.change(gap.change), **figures)
        )
    if gap.target is not None:
        questions.append(t("workshop.question.target", **figures))
    top = _most_overrepresented(context.drivers(topic.metric_code))
    if top is not None:
        segment = t(f"segment.{top.segment}") if top.dimension == "tenure" else top.segment
        questions.append(
            t(
                "workshop.question.driver_share", segment=segment,
                people=context.number(top.people_share, "%"), share=context.number(top.share, "%"),
            )
        )  # fmt: skip
    for theme in context.themes(topic.metric_code)[:2]:
        questions.append(
            t("workshop.question.theme", theme=theme.theme, count=theme.count, metric=metric.name)
        )
    if gap.target is not None:
        questions.append(t("workshop.question.action", **figures))
    return questions


class DataReviewWorkshop(SalonFormat):
    key = "data_review_workshop"
    name = {"zh-CN": "数据复盘工作坊", "en": "Data-review workshop"}
    description = {
        "zh-CN": "全员参与，新老搭配、高低分混编成 4–6 人小组，每组拿一份数据包，从数字出发找原因、定行动。",
        "en": "The whole department in mixed groups of 4–6 (new and experienced, high and low scorers), "
        "each with a data pack, working from the numbers to causes and actions.",
    }

    def fit(self, topic, context) -> Fit:
        if topic.kind != SHORTFALL or topic.gap is None:
            return Fit(0.0, context.texts("fit.shortfalls_only"))
        feedback, drivers, deterioration = _evidence(topic, context)
        score = round(BASE_FIT + 0.2 * feedback + 0.2 * drivers + 0.3 * deterioration, 4)
        parts = {"feedback": feedback, "drivers": drivers, "deterioration": deterioration}
        return Fit(score, context.texts("workshop.fit", **{k: f"{v:.2f}" for k, v in parts.items()}))

    def build(self, topic, context) -> SalonDraft:
        metric, t = context.metric(topic.metric_code), context.t
        employees = context.employees()
        return SalonDraft(
            title=t("workshop.title", metric=metric.name),
            agenda=[
                AgendaItem(t("workshop.agenda.numbers", metric=metric.name), 15),
                AgendaItem(t("workshop.agenda.groups"), 30),
                AgendaItem(t("workshop.agenda.share"), 20),
                AgendaItem(t("workshop.agenda.actions"), 15),
            ],
            questions=_questions(topic, context, metric),
            participants=[e.employee_id for e in employees],
            groups=context.mixed_groups(employees),
            charts=_charts(topic, context, metric),
        )


@hookimpl
def register_salon_formats():
    return [DataReviewWorkshop()]
