"""Every text the plugin writes, in the two languages we write (zh-CN and en); the host plans in
twelve, and readers of the other ten read our English (``text``).

One table, so a missing translation shows up in one place (a test checks every key has both).
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "name": {"zh-CN": "复盘圈", "en": "Retrospective circle"},
    "description": {
        "zh-CN": "指标变差时，大家围成小圈，说说哪些做得好、哪些没做好、下个月试什么。",
        "en": "When a metric got worse, people sit in small circles: what went well, what did not, "
        "what we try next month.",
    },
    "title": {"zh-CN": "复盘圈：{metric}", "en": "Retrospective circle: {metric}"},
    "agenda.numbers": {
        "zh-CN": "{metric}：从 {previous} 到 {actual}",
        "en": "{metric}: from {previous} to {actual}",
    },
    "agenda.well": {"zh-CN": "哪些做得好", "en": "What went well"},
    "agenda.not_well": {"zh-CN": "哪些没做好", "en": "What did not"},
    "agenda.next": {"zh-CN": "下个月试什么", "en": "What we try next month"},
    "agenda.takeaway": {"zh-CN": "每人一句话收获", "en": "One-sentence takeaways"},
    "question.change": {
        "zh-CN": "{metric}从 {previous} 变为 {actual}：这期间我们的做法有什么变化？",
        "en": "{metric} went from {previous} to {actual}: what did we do differently meanwhile?",
    },
    "question.theme": {
        "zh-CN": "反馈里「{theme}」出现了 {count} 次：它说明了什么？",
        "en": "Feedback mentions {theme} {count} times: what does it tell us?",
    },
    "question.try": {
        "zh-CN": "下个月我们试哪一件事，怎样知道它有没有用？",
        "en": "Which one thing do we try next month, and how will we know it worked?",
    },
    "fit.worsening": {
        "zh-CN": "{metric}变差了，反馈 {mentions} 条（每 5 人 1 条即满分）",
        "en": "{metric} got worse, with {mentions} feedback mention(s) (full marks at one per five people)",
    },
    "fit.not_worsening": {
        "zh-CN": "只适合变差了的差距",
        "en": "serves shortfalls that got worse only",
    },
}


def text(key: str, locale: str, **values: object) -> str:
    """``key``'s text in ``locale`` (English when the host plans in a language we lack)."""
    texts = TEXTS[key]
    return texts.get(locale, texts["en"]).format(**values)


def texts(key: str, **values: object) -> dict[str, str]:
    """``key``'s text in every language, for what the host shows in any of them (a fit's reason)."""
    return {locale: text(key, locale, **values) for locale in TEXTS[key]}
