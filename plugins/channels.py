"""Notification channels: how a rendered message reaches a person — e-mail, the app's inbox, or
whatever a plugin adds (WeCom, DingTalk, Slack, SMS).

A channel is a small class like a salon format: ``key``, ``name``, ``description``, and two
methods. The host renders every message in the recipient's language before any channel sees it,
so a channel only carries it: ``reaches`` says whether it can reach a person at all (e-mail
needs an address), ``send`` delivers one message to one person and returns once it is handed
over. The host sends each message once per channel — it keeps the outbox, the retries with
backoff and the record of what went — so a channel holds no state and need not deduplicate;
``Message.key`` is stable across retries for channels that can pass an idempotency key on.

A failure that trying again may cure (the server is down, a timeout) is any exception: the host
tries again later. :class:`Undeliverable` says that retrying will not help (no such mailbox),
and the host stops.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plugins.i18n import Text


class Undeliverable(Exception):
    """This message cannot reach this recipient on this channel, however often it is tried."""


@dataclass(frozen=True)
class Recipient:
    """Who a message is for, as far as a channel needs to know: their employee id, name, e-mail
    address (None when the organisation has none) and the locale the message is written in."""

    employee_id: str
    name: str
    email: str | None
    locale: str


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a message, e.g. an iCalendar invitation (``text/calendar;
    method=REQUEST``)."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Message:
    """One rendered message to one recipient: a subject, the same content as plain text and as
    HTML, an optional path in the app it is about, and attachments.

    ``key`` identifies the message to this recipient on this channel and never changes, so it
    may serve as an idempotency key; ``kind`` is one of ``invitation``, ``invitation_update``,
    ``invitation_cancelled``, ``plan_reminder``, ``progress_report``."""

    key: str
    kind: str
    subject: str
    text: str
    html: str
    link: str | None = None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)

    def calendar(self) -> Attachment | None:
        """The iCalendar attachment, if the message carries one."""
        return next((a for a in self.attachments if a.content_type.startswith("text/calendar")), None)


class NotificationChannel:
    """Subclass and register an instance through ``register_notification_channels``.

    ``key`` names the channel in the outbox and the API (unique across plugins: a duplicate
    stops the start); ``name`` and ``description`` may be one text or one per locale.
    """

    key: str = ""
    name: Text = ""
    description: Text = ""

    def reaches(self, recipient: Recipient) -> bool:
        """Whether this channel can reach ``recipient`` at all; by default everyone."""
        return True

    def send(self, message: Message, recipient: Recipient) -> None:
        """Deliver ``message`` to ``recipient``; return once it is handed over. Raise
        :class:`Undeliverable` when retrying cannot help, anything else when it may."""
        raise NotImplementedError
