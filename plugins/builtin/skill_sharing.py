"""``skill_sharing``: the department's best on a skill's metric teach those who asked for it.

Fits a growth need of at least ``MIN_SHARE`` of the department whose related metric has top
performers; the larger the share the better (``0.5 + share``, at most 0.8), plus ``LINKED_BONUS``
when the metric is the department's top shortfall — then practice, not analysis, is what the
numbers ask for. The top 10% present; everyone with an open wish attends.
"""

from __future__ import annotations

from plugins import GROWTH, AgendaItem, Fit, SalonDraft, SalonFormat, hookimpl

MIN_SHARE = 0.20
LINKED_BONUS = 0.1


def _top_shortfall(context) -> str | None:
    shortfalls = [g for g in context.gaps() if (g.below_target or g.worsening) and g.severity > 0]
    return shortfalls[0].metric_code if shortfalls else None


class SkillSharing(SalonFormat):
    key = "skill_sharing"
    name = {"zh-CN": "技能分享", "en": "Skill sharing"}
    description = {
        "zh-CN": "部门中相关指标前 10% 的同事分享方法，提出成长需求的同事参加。",
        "en": "The department's top 10% on the related metric share how they do it; "
        "everyone who asked for the skill attends.",
    }

    def fit(self, topic, context) -> Fit:
        need = topic.growth_need
        if topic.kind != GROWTH or need is None:
            return Fit(0.0, context.texts("skill.fit.growth_only"))
        figures = {"share": f"{need.share * 100:.0f}%", "skill": need.skill}
        if not need.metric_code:
            return Fit(0.0, context.texts("skill.fit.no_metric", **figures))
        metric = context.metric(need.metric_code).name
        if need.share < MIN_SHARE:
            return Fit(0.0, context.texts("skill.fit.few", **figures))
        if not context.top_performers(need.metric_code):
            return Fit(0.0, context.texts("skill.fit.nobody", metric=metric, **figures))
        linked = _top_shortfall(context) == need.metric_code
        score = round(0.5 + min(0.3, need.share) + (LINKED_BONUS if linked else 0.0), 4)
        bonus = context.texts("skill.fit.linked") if linked else ""
        return Fit(score, context.texts("skill.fit", metric=metric, linked=bonus, **figures))

    def build(self, topic, context) -> SalonDraft:
        need, t = topic.growth_need, context.t
        metric = context.metric(need.metric_code)
        presenters = list(context.top_performers(need.metric_code))
        latest = max((v.period for v in context.series(need.metric_code)), default=None)
        top_values = [
            v.value
            for v in context.series(need.metric_code, employees=True)
            if v.employee_id in presenters and v.period == latest
        ]
        figures = {"skill": need.skill, "metric": metric.name, "share": f"{need.share * 100:.0f}%"}
        questions = []
        if top_values and need.metric_average is not None:
            top = context.number(sum(top_values) / len(top_values), metric.unit)
            questions.append(
                t(
                    "skill.question.metric",
                    top=top,
                    average=context.number(need.metric_average, metric.unit),
                    **figures,
                )
            )
        questions += [t("skill.question.first", **figures), t("skill.question.practice", **figures)]
        return SalonDraft(
            title=t("skill.title", **figures),
            agenda=[
                AgendaItem(t("skill.agenda.why", **figures), 10),
                AgendaItem(t("skill.agenda.demo"), 30),
                AgendaItem(t("skill.agenda.practice"), 30),
                AgendaItem(t("skill.agenda.next"), 10),
            ],
            questions=questions,
            presenters=presenters,
            participants=[p for p in context.wishers(need.skill) if p not in presenters],
        )


@hookimpl
def register_salon_formats():
    return [SkillSharing()]
