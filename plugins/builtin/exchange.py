"""``cross_department_exchange``: the department that is clearly best on a metric hosts the
ones that lag on it.

Fits a shortfall when another department leads the metric's standings (attainment when all
have targets, else the value) by at least ``CLEAR_LEAD`` (relative), better the wider the lead
(full marks at 30%). The host's top performers on the metric present; when it has no
employee-level values, its best reviewed people do.
"""

from __future__ import annotations

from plugins import SHORTFALL, AgendaItem, Fit, SalonDraft, SalonFormat, hookimpl

CLEAR_LEAD = 0.10
PRESENTERS = 3


def _measure(gap, higher: bool, context) -> float | None:
    """Attainment, or the value compared across departments (per head for a sum metric)."""
    if gap.attainment is not None:
        return gap.attainment
    value = context.compared(gap)
    if value is None:
        return None
    return value if higher else (1 / value if value else None)


def leader(topic, context):
    """(host's gap, lead) when another department is clearly best on the topic's metric."""
    if topic.kind != SHORTFALL or topic.gap is None:
        return None
    standings = context.standings(topic.metric_code)
    if not standings or standings[0].department_code == topic.department_code:
        return None
    best, higher = standings[0], context.metric(topic.metric_code).higher_is_better
    use_attainment = best.attainment is not None and topic.gap.attainment is not None
    ours = topic.gap.attainment if use_attainment else _measure(topic.gap, higher, context)
    theirs = best.attainment if use_attainment else _measure(best, higher, context)
    if not ours or theirs is None or ours <= 0:
        return None
    lead = theirs / ours - 1
    return (best, lead) if lead >= CLEAR_LEAD else None


def presenters(context, host: str, metric_code: str) -> list[str]:
    top = list(context.top_performers(metric_code, host))
    if top:
        return top[:PRESENTERS]
    scored = [e for e in context.employees(host) if e.review_score is not None]
    scored.sort(key=lambda e: (-e.review_score, e.employee_id))
    return [e.employee_id for e in scored[:PRESENTERS]]


def _contrast(context, best, metric, attending, figures) -> str:
    """The host's figure against every attending department's; a sum per head, and said to be
    (as figures, when a department of nobody leaves no head to divide by)."""
    gaps = [g for g in (context.gap(metric.code, code) for code in attending) if g is not None]
    per_head = metric.is_sum and all(context.per_head(g) is not None for g in [best, *gaps])

    def figure(gap) -> str:
        return context.number(context.per_head(gap) if per_head else gap.actual, metric.unit)

    if len(gaps) == 1:
        key = "exchange.question.contrast_per_head" if per_head else "exchange.question.contrast"
        return context.t(key, host_value=figure(best), value=figure(gaps[0]), **figures)
    listed = context.listing(
        [context.t("exchange.figure", department=context.department_named(g.department_code).name, value=figure(g))
         for g in gaps]
    )  # fmt: skip
    key = "exchange.question.contrast_per_head_group" if per_head else "exchange.question.contrast_group"
    return context.t(
        key, host_value=figure(best), metric=figures["metric"], host=figures["host"], figures=listed
    )


def _monthly_heads(context, metric, codes) -> bool:
    """Whether every month drawn has people to divide by when counting each month's own staff
    (hire dates): a department whose people were all hired after a month it has a value for
    shows that its list does not reach back that far, and today's headcount is used instead."""
    return all(
        context.headcount_in(v.period, code) for code in codes for v in context.series(metric.code, code)
    )


def _trend(context, best, metric, attending) -> dict | None:
    """The host's months against each attending department's, one line each (the host bold),
    with the attendees' target dashed — per head for a sum, as departments are compared: each
    month over that month's people when the hire dates cover every month drawn, else over
    today's, and the title says which."""
    t, host = context.t, best.department_code
    monthly = metric.is_sum and _monthly_heads(context, metric, (host, *attending))

    def scaled(value: float, code: str, month: str) -> float | None:
        if not metric.is_sum:
            return value
        people = context.headcount_in(month, code) if monthly else context.headcount(code)
        return round(value / people, 6) if people else None

    rows, labels, targets = [], {}, {}
    for code in (host, *attending):
        name = context.department_named(code).name
        label = t("chart.host", department=name) if code == host else name
        for v in context.series(metric.code, code):
            if (value := scaled(v.value, code, v.period)) is not None:
                labels[code] = label
                rows.append({"month": v.period, "series": label, "value": value})
            if (
                code != host
                and v.target is not None
                and (target := scaled(v.target, code, v.period)) is not None
            ):
                targets.setdefault(code, {})[v.period] = target
    if host not in labels or len(labels) < 2:
        return None  # nothing to set the host against
    order = [labels[host], *context.charts.natural_order(labels[c] for c in attending if c in labels)]
    dashed = []
    if len({tuple(sorted(by_month.items())) for by_month in targets.values()}) == 1:
        dashed.append(t("chart.target"))  # the attendees share their target: one line
        rows += [
            {"month": m, "series": dashed[0], "value": v} for m, v in next(iter(targets.values())).items()
        ]
    else:
        for code, by_month in targets.items():
            dashed.append(t("chart.target_of", department=context.department_named(code).name))
            rows += [{"month": m, "series": dashed[-1], "value": v} for m, v in by_month.items()]
    key = "chart.departments"
    if metric.is_sum:
        key = "chart.departments_per_head_monthly" if monthly else "chart.departments_per_head_current"
    return context.charts.lines(
        t(key, metric=metric.name), rows, "month", "value", "series", t("chart.month"), context.axis_title(metric),
        unit=metric.unit, order=order + dashed, highlight=[labels[host]], dashed=dashed,
        series_title=t("chart.department"),
    )  # fmt: skip


class CrossDepartmentExchange(SalonFormat):
    key = "cross_department_exchange"
    name = {"zh-CN": "跨部门交流", "en": "Cross-department exchange"}
    description = {
        "zh-CN": "在同一指标上表现最好的部门做东道主，由其骨干分享做法，落后部门参加。",
        "en": "The department that is best on the same metric hosts; its top performers present "
        "and the lagging departments attend.",
    }

    def fit(self, topic, context) -> Fit:
        if topic.kind != SHORTFALL or topic.gap is None:
            return Fit(0.0, context.texts("fit.shortfalls_only"))
        metric = context.metric(topic.metric_code).name
        found = leader(topic, context)
        if found is None:
            return Fit(0.0, context.texts("exchange.fit.none", metric=metric))
        best, lead = found
        host = context.department_named(best.department_code).name
        reason = context.texts("exchange.fit", host=host, metric=metric, lead=f"{lead * 100:.0f}%")
        return Fit(round(0.6 + 0.3 * min(1.0, lead / 0.3), 4), reason)

    def build(self, topic, context) -> SalonDraft:
        """The exchange for every attending department (``context.attendees``: several when
        they share it), its questions naming them all and its chart drawing each one's line."""
        best, _ = leader(topic, context)
        metric, t = context.metric(topic.metric_code), context.t
        attending = [code for code in context.attendees if code != best.department_code]
        names = [context.department_named(code).name for code in attending]
        host = context.department_named(best.department_code).name
        figures = {"metric": metric.name, "host": host, "department": context.listing(names)}
        questions = [_contrast(context, best, metric, attending, figures)]
        if best.change is not None:
            questions.append(
                t("exchange.question.improved", host_change=context.change(best.change), **figures)
            )
        if len(attending) == 1:
            questions.append(t("exchange.question.adopt", **figures))
            compared = t("exchange.agenda.figures", **figures)
        else:  # the verb agrees with several departments
            questions.append(t("exchange.question.adopt_group", host=host, departments=figures["department"]))
            compared = t(
                "exchange.agenda.figures_group",
                metric=metric.name,
                departments=context.listing([host, *names]),
            )
        chart = _trend(context, best, metric, attending)
        return SalonDraft(
            title=t("exchange.title", **figures),
            agenda=[
                AgendaItem(compared, 10),
                AgendaItem(t("exchange.agenda.host", **figures), 30),
                AgendaItem(t("exchange.agenda.qa"), 20),
                AgendaItem(t("exchange.agenda.actions"), 15),
            ],
            questions=questions,
            presenters=presenters(context, best.department_code, topic.metric_code),
            participants=[e.employee_id for code in attending for e in context.employees(code)],
            host_department=best.department_code,
            departments=attending,
            charts=[] if chart is None else [chart],
        )


@hookimpl
def register_salon_formats():
    return [CrossDepartmentExchange()]
