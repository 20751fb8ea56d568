"""Texts added by the analysis and planning work (issue 19), in zh-CN and en, kept apart so that
they move into the gettext catalogs with the rest; ``plugins.i18n`` merges them into its catalog."""

from __future__ import annotations

NEW_TEXTS: dict[str, dict[str, str]] = {
    # a driver segment is a finding when it carries more of the gap than its share of the people
    "workshop.question.driver_share": {
        "zh-CN": "「{segment}」占{people}的人数，却贡献了{share}的差距：他们遇到了什么困难？",
        "en": "{segment} are {people} of the people but account for {share} of the gap: "
        "what makes it hard for them?",
    },
    # a sum metric is compared across departments per head
    "exchange.question.contrast_per_head": {
        "zh-CN": "{host}的人均{metric}为 {host_value}，{department}为 {value}：差别来自哪些做法？",
        "en": "{host} is at {host_value} per head on {metric}, {department} at {value}: "
        "which practices make the difference?",
    },
}
