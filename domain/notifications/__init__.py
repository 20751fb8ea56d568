"""Notifications: invitations to salons, plan reminders and progress reports, each rendered in
its recipient's language and sent once per channel through an outbox.

- ``outbox``: creating messages and their deliveries, unique per message × person × channel;
- ``delivery``: claiming, sending and recording a delivery, with a backoff while it fails;
- ``invitations``: what a salon's schedule means for the people in it (iCalendar in ``calendar``);
- ``reminders``: when a plan's reminders fall, in its department's time zone (``zones``);
- ``progress``: telling a plan's owner and managers that new data moved it;
- ``inbox`` and ``rsvp``: what a person reads and answers in the app.

Sentences are ``texts``, put together by ``drafts``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Defaults:
    """What notifications take from the settings: the time zone of departments that name none
    (``SALON_TIMEZONE``), the locale of people who chose none (``SALON_LOCALE``) and the sender
    of mail, who organises calendar events (``SALON_SMTP_FROM``)."""

    timezone: str = "Asia/Shanghai"
    locale: str = "zh-CN"
    sender: str | None = None

    @classmethod
    def of(cls, settings) -> Defaults:
        return cls(settings.timezone, settings.locale, settings.smtp_from)
