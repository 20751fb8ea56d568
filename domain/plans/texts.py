"""Every sentence the plan and department reports say, per language, in one place.

Templates use ``str.format`` names; the numbers, months and names arrive formatted
(``domain.plans.report``). Keys ending in ``.one`` / ``.other`` are plural forms, chosen by the
locale's plural rule. Each key has every locale of ``domain.settings.LOCALES`` (a test checks),
so the catalogue moves to message catalogues as it is.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # how a value moved from the baseline (or the previous period): the goal's way, or the wrong way
    "moved.down": {"zh-CN": "下降了{amount}", "en": "down {amount}"},
    "moved.up": {"zh-CN": "上升了{amount}", "en": "up {amount}"},
    "moved.down.wrong_way": {"zh-CN": "反而下降了{amount}", "en": "down {amount} (the wrong way)"},
    "moved.up.wrong_way": {"zh-CN": "反而上升了{amount}", "en": "up {amount} (the wrong way)"},
    "moved.flat": {"zh-CN": "持平", "en": "unchanged"},
    "goal.down": {"zh-CN": "下降{amount}", "en": "down {amount}"},
    "goal.up": {"zh-CN": "上升{amount}", "en": "up {amount}"},
    "aim.down": {"zh-CN": "下降{amount}", "en": "{amount} fall"},
    "aim.up": {"zh-CN": "上升{amount}", "en": "{amount} rise"},
    "when.this_month": {"zh-CN": "本月", "en": "this month"},
    "when.this_quarter": {"zh-CN": "本季度", "en": "this quarter"},
    "when.month": {"zh-CN": "{month}", "en": "in {month}"},
    # a plan
    "plan.header": {
        "zh-CN": "{department}{metric}改进计划：以{baseline_month}的{baseline}为基线，目标{goal}至{goal_value}，截止{deadline}。",
        "en": "{department}: a plan to bring {metric} {goal} from {baseline} ({baseline_month}) to {goal_value} by {deadline}.",
    },
    "progress": {
        "zh-CN": "{when}{metric}较基线{moved}，{standing}",
        "en": "{metric} is {moved} from the baseline {when}, {standing}",
    },
    "progress.short": {"zh-CN": "距离目标还差{remaining}，{track}", "en": "{remaining} short of the goal, {track}"},
    "progress.reached": {"zh-CN": "已达到目标", "en": "the goal is reached"},
    "track.on": {"zh-CN": "按计划进行", "en": "on track"},
    "track.behind": {"zh-CN": "落后于计划", "en": "behind plan"},
    "progress.milestone": {
        "zh-CN": "本期阶段目标为{milestone}，实际为{actual}。",
        "en": "The milestone due is {milestone}; the actual value is {actual}.",
    },
    "status.achieved": {
        "zh-CN": "已于{month}达成目标（较基线{goal}）。",
        "en": "The goal ({goal} from the baseline) was reached in {month}.",
    },
    "status.missed": {
        "zh-CN": "未能按期达成目标：截至{month}，{metric}较基线{moved}，目标为{aim}。",
        "en": "The goal was missed: by the deadline ({month}) {metric} was {moved} from the baseline, short of the {aim} aimed for.",
    },
    "status.cancelled": {"zh-CN": "该计划已取消：{reason}", "en": "The plan was cancelled: {reason}"},
    "status.cancelled.no_reason": {"zh-CN": "该计划已取消。", "en": "The plan was cancelled."},
    "status.zero_baseline": {
        "zh-CN": "{metric}的基线为0，无法按较基线的变化衡量进度。",
        "en": "The {metric} baseline is 0, so progress cannot be measured as a change from it.",
    },
    "status.no_data": {
        "zh-CN": "基线（{month}）之后暂无{metric}数据。",
        "en": "No {metric} figures since the baseline ({month}) yet.",
    },
    # the effect
    "effect.later.one": {"zh-CN": "{count}个月后，{metric}较基线{moved}", "en": "{count} month later, {metric} is {moved} from the baseline"},
    "effect.later.other": {"zh-CN": "{count}个月后，{metric}较基线{moved}", "en": "{count} months later, {metric} is {moved} from the baseline"},
    "effect.compared": {
        "zh-CN": "{headline}；同期没有改进计划的{count}个部门平均{comparison}，扣除这一趋势，净{net}（双重差分）。",
        "en": "{headline}; the departments without a plan ({count}) moved {comparison} on average over the same months, so net of that trend it did {net} (difference-in-differences).",
    },
    "effect.uncompared": {
        "zh-CN": "{headline}；没有可比较的部门（其他部门同期也有改进计划或缺少数据），无法计算双重差分。",
        "en": "{headline}; there is no comparison group (every other department had a plan on it or lacks the figures), so no difference-in-differences.",
    },
    "net.better": {"zh-CN": "改善了{points}个百分点", "en": "{points} points better"},
    "net.worse": {"zh-CN": "变差了{points}个百分点", "en": "{points} points worse"},
    "net.same": {"zh-CN": "与之持平", "en": "no better and no worse"},
    # a department's period
    "department.header": {"zh-CN": "{department}{period}报告", "en": "{department}: report for {period}"},
    "department.no_plans": {"zh-CN": "{when}没有进行中的改进计划。", "en": "No improvement plan was running {when}."},
    "department.no_point": {"zh-CN": "{when}暂无{metric}数据。", "en": "No {metric} figures {when} yet."},
    "gap.actual": {"zh-CN": "{when}{metric}为{actual}", "en": "{metric} was {actual} {when}"},
    "gap.below_target.higher": {"zh-CN": "低于目标{target}", "en": "below its target of {target}"},
    "gap.below_target.lower": {"zh-CN": "高于目标{target}", "en": "above its target of {target}"},
    "gap.worsening": {"zh-CN": "较上期{moved}", "en": "{moved} on the previous period"},
    "gap.none": {"zh-CN": "{when}没有未达标或变差的指标。", "en": "No metric fell short of its target or worsened {when}."},
    "gap.no_figures": {"zh-CN": "{when}暂无指标数据。", "en": "No figures {when} yet."},
    "causes": {
        "zh-CN": "原因分析（员工反馈）：{items}（共{total}次提及）。",
        "en": "What people name in their feedback: {items} (of {total} mentions).",
    },
    "causes.item": {"zh-CN": "{theme}占比{share}", "en": "{theme} {share}"},
    "causes.none": {"zh-CN": "{when}没有员工反馈。", "en": "No feedback {when}."},
    # joining
    "list.separator": {"zh-CN": "，", "en": ", "},
    "sentence.end": {"zh-CN": "。", "en": "."},
}  # fmt: skip

# Feedback theme tags shown by name. A stand-in for the theme labels an organisation will
# import (see the glossary's Label): the tags the demo company uses; others read as their code
# with spaces (``theme_name``).
THEME_NAMES: dict[str, dict[str, str]] = {
    "zh-CN": {
        "budget": "预算", "campaign_analytics": "活动数据分析", "code_optimization": "代码优化",
        "code_review": "代码评审", "consultative_selling": "顾问式销售", "delivery": "交付",
        "equipment": "设备", "expectation": "客户预期", "knowledge_base": "知识库",
        "knowledge_sharing": "经验分享", "logistics_planning": "物流规划", "membership": "会员权益",
        "mentoring": "带教", "offline_events": "线下活动", "onboarding": "新人上岗",
        "premium_recommendation": "高端产品推荐", "process": "流程", "product_knowledge": "产品知识",
        "quality_control": "质量控制", "retention": "用户留存", "safety": "安全", "sales_skills": "销售技巧",
        "service_communication": "服务沟通", "staffing": "人手", "technical_debt": "技术债",
        "tools": "工具", "training": "培训", "user_operations": "用户运营", "workload": "工作量",
    },
    "en": {"expectation": "customer expectations", "membership": "membership benefits", "staffing": "staffing"},
}  # fmt: skip


def say(key: str, locale: str, **values: object) -> str:
    """The text of ``key`` in ``locale``; English until this catalogue moves into the gettext
    catalogs (``plugins/locale``) with the other ten languages."""
    texts = TEXTS[key]
    return texts.get(locale, texts["en"]).format(**values)


def theme_name(code: str, locale: str) -> str:
    """A theme tag as people read it: its name, or its code with spaces for underscores."""
    return THEME_NAMES.get(locale, {}).get(code) or code.replace("_", " ").strip()
