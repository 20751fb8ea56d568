"""Every sentence a notification says, per language, in one place.

``str.format`` templates; times, names and reports arrive formatted (``domain.notifications
.drafts``). Each key has every locale of ``domain.settings.LOCALES`` (a test checks), so the
catalogue moves to message catalogues as it is. No sentence names anyone but the reader.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # invitations: a salon scheduled, rescheduled, cancelled, or a person taken off it
    "invitation.subject": {"zh-CN": "沙龙邀请：{title}", "en": "Invitation: {title}"},
    "invitation.body": {
        "zh-CN": "诚邀您参加沙龙“{title}”，时间：{when}。",
        "en": "You are invited to the salon “{title}” on {when}.",
    },
    "invitation_update.subject": {"zh-CN": "沙龙时间更新：{title}", "en": "New time: {title}"},
    "invitation_update.body": {
        "zh-CN": "沙龙“{title}”的时间已更新为{when}。",
        "en": "The salon “{title}” now takes place on {when}.",
    },
    "invitation_cancelled.subject": {"zh-CN": "沙龙已取消：{title}", "en": "Cancelled: {title}"},
    "invitation_cancelled.body": {
        "zh-CN": "原定于{when}举行的沙龙“{title}”已取消。",
        "en": "The salon “{title}” planned for {when} is cancelled.",
    },
    "invitation_cancelled.reason": {"zh-CN": "原因：{reason}", "en": "Reason: {reason}"},
    "invitation_removed.subject": {"zh-CN": "沙龙邀请已撤回：{title}", "en": "No longer invited: {title}"},
    "invitation_removed.body": {
        "zh-CN": "您已不在{when}举行的沙龙“{title}”的邀请名单中。",
        "en": "You are no longer on the list for the salon “{title}” on {when}.",
    },
    "invitation.topic": {"zh-CN": "主题：{topic}", "en": "Topic: {topic}"},
    "invitation.presenter": {
        "zh-CN": "您是本次沙龙的分享人，分享内容：{topic}。",
        "en": "You present at this salon, on: {topic}.",
    },
    "invitation.agenda": {"zh-CN": "议程：", "en": "Agenda:"},
    "invitation.agenda.item": {"zh-CN": "{title}（{minutes}分钟）", "en": "{title} ({minutes} min)"},
    "invitation.reply": {
        "zh-CN": "请在应用中回复：接受、拒绝或待定。日历邀请已附上。",
        "en": "Please reply in the app: accept, decline or tentative. The calendar invitation is attached.",
    },
    # a plan's reminder, and its progress after new data
    "plan_reminder.subject": {"zh-CN": "改进计划提醒：{department}{metric}", "en": "Plan reminder: {metric}, {department}"},
    "plan_reminder.body": {
        "zh-CN": "这是您参与的改进计划的定期提醒。当前进展：",
        "en": "A regular reminder of the improvement plan you take part in. Where it stands:",
    },
    "progress_report.subject": {
        "zh-CN": "改进计划新进展：{department}{metric}",
        "en": "New progress: {metric}, {department}",
    },
    "progress_report.body": {
        "zh-CN": "新导入的数据更新了改进计划的进度：",
        "en": "Newly imported data has moved the improvement plan:",
    },
    # a moment in the event's time zone: date, time and the zone's place name (CLDR)
    "when": {"zh-CN": "{date} {time}（{zone}）", "en": "{date}, {time} ({zone})"},
    # the mail's closing line
    "footer": {
        "zh-CN": "此邮件由 EHR 沙龙自动发送。",
        "en": "Sent by EHR Salon.",
    },
}  # fmt: skip


def say(key: str, locale: str, **values: object) -> str:
    return TEXTS[key][locale].format(**values)
