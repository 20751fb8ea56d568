"""Every sentence a notification says, declared once in English with its key.

Gettext messages like the formats' (``plugins/messages.py``), extracted by ``make catalogs``
(``babel.cfg`` names this module) and translated in ``plugins/locale/<locale>/LC_MESSAGES/salon.po``.
Times, names and reports arrive formatted (``domain.notifications.drafts``); an agenda item's
minutes are a plural message. No sentence names anyone but the reader.
"""

from __future__ import annotations

from plugins.i18n import translated
from plugins.messages import N_, NP_

MESSAGES: dict[str, str | tuple[str, str]] = dict(
    (
        # invitations: a salon scheduled, rescheduled, cancelled, or a person taken off it
        N_("notice.invitation.subject", "Invitation: {title}"),
        N_("notice.invitation.body", "You are invited to the salon “{title}” on {when}."),
        N_("notice.invitation_update.subject", "New time: {title}"),
        N_("notice.invitation_update.body", "The salon “{title}” now takes place on {when}."),
        N_("notice.invitation_cancelled.subject", "Cancelled: {title}"),
        N_("notice.invitation_cancelled.body", "The salon “{title}” planned for {when} is cancelled."),
        N_("notice.invitation_cancelled.reason", "Reason: {reason}"),
        N_("notice.invitation_removed.subject", "No longer invited: {title}"),
        N_(
            "notice.invitation_removed.body",
            "You are no longer on the list for the salon “{title}” on {when}.",
        ),
        N_("notice.invitation.topic", "Topic: {topic}"),
        N_("notice.invitation.presenter", "You present at this salon, on: {topic}."),
        N_("notice.invitation.agenda", "Agenda:"),
        NP_("notice.invitation.agenda.item", "{title} ({count} min)", "{title} ({count} min)"),
        N_(
            "notice.invitation.reply",
            "Please reply in the app: accept, decline or tentative. The calendar invitation is attached.",
        ),
        # a plan's reminder, and its progress after new data
        N_("notice.plan_reminder.subject", "Plan reminder: {metric}, {department}"),
        N_(
            "notice.plan_reminder.body",
            "A regular reminder of the improvement plan you take part in. Where it stands:",
        ),
        N_("notice.progress_report.subject", "New progress: {metric}, {department}"),
        N_("notice.progress_report.body", "Newly imported data has moved the improvement plan:"),
        # a moment in the event's time zone: date, time and the zone's place name (CLDR)
        N_("notice.when", "{date}, {time} ({zone})"),
        # the mail's closing line
        N_("notice.footer", "Sent by EHR Salon."),
    )
)


def say(key: str, locale: str, **values: object) -> str:
    """The notification's sentence ``notice.<key>`` in ``locale``, placeholders filled."""
    return translated(MESSAGES, f"notice.{key}", locale, values)
