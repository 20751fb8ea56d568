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

from collections.abc import Mapping
from dataclasses import dataclass, field

import pluggy

from plugins.formats import Text
from plugins.registry import PluginError, call_each


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


class DuplicateChannelKey(PluginError):
    """Two plugins registered channels with the same key."""


@dataclass(frozen=True)
class RegisteredChannel:
    channel: NotificationChannel
    plugin: str  # the name the plugin was registered under (its entry point's name)


def load_channels(manager: pluggy.PluginManager) -> dict[str, RegisteredChannel]:
    """Every registered channel by key; a malformed registration or a duplicate key raises,
    naming the plugins."""
    channels: dict[str, RegisteredChannel] = {}
    for plugin, result in call_each(manager, "register_notification_channels"):
        if result is None:
            continue
        if not isinstance(result, list | tuple):
            raise PluginError(
                f"plugin {plugin!r}: register_notification_channels must return a list of NotificationChannel",
                plugin=plugin,
            )
        for channel in result:
            _check(plugin, channel)
            if channel.key in channels:
                other = channels[channel.key].plugin
                raise DuplicateChannelKey(
                    f"notification channel key {channel.key!r} is registered by both plugin {other!r} and "
                    f"plugin {plugin!r}; uninstall one of them or change its key",
                    plugin=plugin,
                )
            channels[channel.key] = RegisteredChannel(channel, plugin)
    return dict(sorted(channels.items()))


def _check(plugin: str, channel: object) -> None:
    if not isinstance(channel, NotificationChannel):
        raise PluginError(
            f"plugin {plugin!r}: register_notification_channels returned {type(channel).__name__}, "
            "not a NotificationChannel",
            plugin=plugin,
        )
    key = channel.key
    if not isinstance(key, str) or not key.strip() or key != key.strip() or len(key) > 64:
        raise PluginError(
            f"plugin {plugin!r}: channel {type(channel).__name__} needs a key of 1 to 64 characters",
            plugin=plugin,
        )


def by_key(channels: Mapping[str, RegisteredChannel]) -> dict[str, NotificationChannel]:
    return {key: registered.channel for key, registered in channels.items()}
