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


def _contrast(topic, context, best, metric, figures) -> str:
    """The two departments' figures side by side; a sum per head, and said to be."""
    if metric.is_sum:
        host_value, value = context.per_head(best), context.per_head(topic.gap)
        if host_value is not None and value is not None:
            return context.t(
                "exchange.question.contrast_per_head",
                host_value=context.number(host_value, metric.unit),
                value=context.number(value, metric.unit),
                **figures,
            )
    return context.t(
        "exchange.question.contrast",
        host_value=context.number(best.actual, metric.unit),
        value=context.number(topic.gap.actual, metric.unit),
        **figures,
    )


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
        best, _ = leader(topic, context)
        metric, t = context.metric(topic.metric_code), context.t
        host, ours = context.department_named(best.department_code).name, context.department.name
        figures = {"metric": metric.name, "host": host, "department": ours}
        questions = [_contrast(topic, context, best, metric, figures)]
        if best.change is not None:
            questions.append(
                t("exchange.question.improved", host_change=context.change(best.change), **figures)
            )
        questions.append(t("exchange.question.adopt", **figures))
        return SalonDraft(
            title=t("exchange.title", **figures),
            agenda=[
                AgendaItem(t("exchange.agenda.figures", **figures), 10),
                AgendaItem(t("exchange.agenda.host", **figures), 30),
                AgendaItem(t("exchange.agenda.qa"), 20),
                AgendaItem(t("exchange.agenda.actions"), 15),
            ],
            questions=questions,
            presenters=presenters(context, best.department_code, topic.metric_code),
            participants=[e.employee_id for e in context.employees()],
            host_department=best.department_code,
            departments=[topic.department_code],
        )


@hookimpl
def register_salon_formats():
    return [CrossDepartmentExchange()]
