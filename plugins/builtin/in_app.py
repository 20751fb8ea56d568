"""``in_app``: the person's inbox in the app (GraphQL ``notifications``), which reaches everyone.

The message is already stored, rendered, by the time any channel sees it; delivering it in the
app is marking it delivered, which makes it show in the inbox.
"""

from __future__ import annotations

from plugins import Message, NotificationChannel, Recipient, hookimpl


class InAppChannel(NotificationChannel):
    key = "in_app"
    name = {"zh-CN": "站内通知", "en": "In the app"}
    description = {"zh-CN": "在应用的通知中心显示。", "en": "Shown in the app's notifications."}

    def send(self, message: Message, recipient: Recipient) -> None:
        return None


@hookimpl
def register_notification_channels():
    return [InAppChannel()]
