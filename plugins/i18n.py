"""Every text the built-in formats generate, in zh-CN and en (``Context.t`` looks them up).

One catalog, so a missing translation is a test failure rather than a blank agenda item.
Placeholders use ``str.format`` names; numbers arrive formatted by ``Context``.
"""

from __future__ import annotations

from domain.settings import LOCALES  # noqa: F401  (the supported locales, declared once)
from plugins.i18n_new import NEW_TEXTS

CATALOG: dict[str, dict[str, str]] = {
    # topics
    "topic.shortfall": {
        "zh-CN": "{department}：{metric}未达标（{actual}，目标 {target}）",
        "en": "{department}: {metric} below target ({actual} against {target})",
    },
    "topic.worsening": {
        "zh-CN": "{department}：{metric}变化 {change}",
        "en": "{department}: {metric} changed {change}",
    },
    "topic.growth": {
        "zh-CN": "{department}：{share} 的同事希望提升「{skill}」",
        "en": "{department}: {share} of the team want to grow {skill}",
    },
    # why a built-in format fits (or does not): Fit.reason
    "fit.shortfalls_only": {"zh-CN": "只适合差距类题材", "en": "serves shortfalls only"},
    "workshop.fit": {
        "zh-CN": "有差距可复盘：反馈 {feedback}、驱动因素集中 {drivers}、恶化 {deterioration}（各 0–1，基础分 0.3）",
        "en": "a shortfall to work through: feedback {feedback}, concentrated drivers {drivers}, "
        "deterioration {deterioration} (each 0–1, on a base of 0.3)",
    },
    "exchange.fit": {
        "zh-CN": "{host}在{metric}上领先 {lead}（30% 及以上满分）",
        "en": "{host} leads on {metric} by {lead} (full marks from 30%)",
    },
    "exchange.fit.none": {
        "zh-CN": "没有其他部门在{metric}上领先 10% 以上",
        "en": "no other department leads on {metric} by 10% or more",
    },
    "skill.fit": {
        "zh-CN": "{share} 的同事希望提升「{skill}」，{metric}有骨干可以分享{linked}",
        "en": "{share} of the department asked for {skill} and {metric} has top performers to teach it{linked}",
    },
    "skill.fit.linked": {"zh-CN": "，且这正是部门最突出的差距", "en": ", the department's top shortfall"},
    "skill.fit.growth_only": {"zh-CN": "只适合成长需求类题材", "en": "serves growth needs only"},
    "skill.fit.few": {
        "zh-CN": "只有 {share} 的同事希望提升「{skill}」，不足 20%",
        "en": "only {share} asked for {skill}: fewer than 20%",
    },
    "skill.fit.no_metric": {
        "zh-CN": "没有指标关联「{skill}」，无法按数据选出分享人",
        "en": "no metric is linked to {skill}, so nobody can be picked to teach it by the numbers",
    },
    "skill.fit.nobody": {
        "zh-CN": "{metric}没有可以分享的骨干",
        "en": "nobody stands out on {metric} to teach {skill}",
    },
    # workshop
    "workshop.title": {"zh-CN": "数据复盘工作坊：{metric}", "en": "Data-review workshop: {metric}"},
    "workshop.agenda.numbers": {
        "zh-CN": "看数据：{metric}的现状与趋势",
        "en": "The numbers: {metric} now and over the year",
    },
    "workshop.agenda.groups": {"zh-CN": "分组讨论：找原因", "en": "Groups: finding the causes"},
    "workshop.agenda.share": {"zh-CN": "各组汇报", "en": "Groups report back"},
    "workshop.agenda.actions": {"zh-CN": "确定改进行动与负责人", "en": "Actions and owners"},
    "workshop.question.change": {
        "zh-CN": "为什么{metric}从 {previous} 变为 {actual}（{change}）？",
        "en": "Why did {metric} go from {previous} to {actual} ({change})?",
    },
    "workshop.question.target": {
        "zh-CN": "{metric}为 {actual}，目标 {target}：差距主要出在哪里？",
        "en": "{metric} is {actual} against a target of {target}: where does the gap come from?",
    },
    "workshop.question.driver": {
        "zh-CN": "「{segment}」贡献了差距的 {share}：他们遇到了什么困难？",
        "en": "{segment} account for {share} of the gap: what makes it hard for them?",
    },
    "workshop.question.theme": {
        "zh-CN": "反馈中「{theme}」被提到 {count} 次：它和{metric}有什么关系？",
        "en": "Feedback mentions {theme} {count} times: how does it relate to {metric}?",
    },
    "workshop.question.action": {
        "zh-CN": "下个月我们做哪一件事，能让{metric}回到 {target}？",
        "en": "What one thing can we do next month to bring {metric} back to {target}?",
    },
    "segment.new_hire": {"zh-CN": "新员工", "en": "New hires"},
    "segment.experienced": {"zh-CN": "老员工", "en": "Experienced staff"},
    "chart.by_team": {"zh-CN": "{metric}：按班组", "en": "{metric} by team"},
    "chart.trend": {"zh-CN": "{metric}：近 12 个月与目标", "en": "{metric}: last 12 months against target"},
    "chart.heatmap": {"zh-CN": "{metric}：员工 × 月份", "en": "{metric}: employee × month"},
    "chart.team": {"zh-CN": "班组", "en": "Team"},
    "chart.other": {"zh-CN": "其他", "en": "Other"},  # teams too small to show alone, together
    "chart.everyone": {"zh-CN": "全体", "en": "All"},
    "chart.month": {"zh-CN": "月份", "en": "Month"},
    "chart.employee": {"zh-CN": "员工", "en": "Employee"},
    "chart.value": {"zh-CN": "数值", "en": "Value"},
    "chart.target": {"zh-CN": "目标", "en": "Target"},
    "chart.actual": {"zh-CN": "实际", "en": "Actual"},
    "group.name": {"zh-CN": "第 {number} 组", "en": "Group {number}"},
    # exchange
    "exchange.title": {
        "zh-CN": "跨部门交流：向{host}学习{metric}",
        "en": "Cross-department exchange: {metric}, hosted by {host}",
    },
    "exchange.agenda.figures": {"zh-CN": "对比两部门的{metric}", "en": "{metric} in both departments"},
    "exchange.agenda.host": {"zh-CN": "{host}分享做法", "en": "How {host} does it"},
    "exchange.agenda.qa": {"zh-CN": "问答与讨论", "en": "Questions and discussion"},
    "exchange.agenda.actions": {"zh-CN": "我们可以借鉴什么", "en": "What we will adopt"},
    "exchange.question.contrast": {
        "zh-CN": "{host}的{metric}为 {host_value}，{department}为 {value}：差别来自哪些做法？",
        "en": "{host} is at {host_value} on {metric}, {department} at {value}: which practices make the difference?",
    },
    "exchange.question.improved": {
        "zh-CN": "{host}的{metric}上期变化 {host_change}：他们改变了什么？",
        "en": "{host}'s {metric} changed {host_change} last period: what did they change?",
    },
    "exchange.question.adopt": {
        "zh-CN": "{department}最先可以借鉴{host}的哪一个做法？",
        "en": "Which of {host}'s practices can {department} try first?",
    },
    # skill sharing
    "skill.title": {"zh-CN": "技能分享：{skill}", "en": "Skill sharing: {skill}"},
    "skill.agenda.why": {
        "zh-CN": "为什么是{skill}：{share} 的同事提出了需求",
        "en": "Why {skill}: {share} of us asked for it",
    },
    "skill.agenda.demo": {"zh-CN": "骨干分享与演示", "en": "Top performers show how"},
    "skill.agenda.practice": {"zh-CN": "结对练习", "en": "Practice in pairs"},
    "skill.agenda.next": {"zh-CN": "后续练习计划", "en": "What we practise next"},
    "skill.question.metric": {
        "zh-CN": "分享人的{metric}达到 {top}，部门平均 {average}：他们的方法有什么不同？",
        "en": "The presenters reach {top} on {metric} against a department average of {average}: what do they do differently?",
    },
    "skill.question.first": {
        "zh-CN": "在{skill}上，你最想先解决的一个问题是什么？",
        "en": "What is the one problem in {skill} you most want solved first?",
    },
    "skill.question.practice": {
        "zh-CN": "接下来一个月，我们怎样练习{skill}并检验效果？",
        "en": "How will we practise {skill} next month and see whether it works?",
    },
}

CATALOG.update(NEW_TEXTS)  # issue 19's new texts, kept in one place (plugins.i18n_new)


def translate(key: str, locale: str, **values: object) -> str:
    """The catalog's text for ``key`` in ``locale`` (English when the locale lacks it)."""
    texts = CATALOG[key]
    return texts.get(locale, texts["en"]).format(**values)
