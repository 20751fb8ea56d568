"""``email``: notifications as e-mail through the organisation's SMTP server.

``SALON_SMTP_URL`` names the server — ``smtp://host:port``, ``smtps://…`` (TLS from the first
byte) or ``smtp+starttls://…``, with user and password in the URL when it wants them — and
``SALON_SMTP_FROM`` the sender, which is also the organiser of calendar invitations. Without a
server the channel reaches nobody, and people read their notifications in the app.

A message goes out as plain text and HTML alternatives; an invitation also carries its
iCalendar object, once as a ``text/calendar; method=…`` alternative (what Outlook and Gmail
turn into their accept/decline buttons) and once as an ``invitation.ics`` attachment (what
Apple Mail and everything else import). The Message-ID is derived from the message's key, so a
receiving server can tell a repeat from a new message.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from urllib.parse import unquote, urlsplit

from plugins import Message, NotificationChannel, Recipient, Undeliverable, hookimpl

TIMEOUT_SECONDS = 10.0  # connecting and each SMTP command; a silent server is a failure, retried later
DEFAULT_PORTS = {"smtp": 25, "smtps": 465, "smtp+starttls": 587}


def compose(message: Message, recipient: Recipient, sender: str) -> EmailMessage:
    """The e-mail for ``message``: text and HTML alternatives, and its calendar if it has one."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = formataddr((recipient.name, recipient.email or ""))
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
    mail["Message-ID"] = f"<{digest}@{sender.rpartition('@')[2]}>"
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    calendar = message.calendar()
    if calendar is not None:
        method = _method(calendar.content_type)
        mail.add_alternative(calendar.data.decode(), subtype="calendar", params={"method": method})
        mail.add_attachment(calendar.data, maintype="application", subtype="ics", filename=calendar.filename)
    for attachment in message.attachments:
        if attachment is not calendar:
            maintype, _, subtype = attachment.content_type.partition(";")[0].partition("/")
            mail.add_attachment(
                attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
    mail["Content-Language"] = recipient.locale  # last: building the parts moves Content-* headers down
    return mail


def _method(content_type: str) -> str:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "method":
            return value.strip('"').upper()
    return "PUBLISH"


def connect(url: str, timeout: float = TIMEOUT_SECONDS) -> smtplib.SMTP:
    """An SMTP session as ``url`` says: TLS from the start, after STARTTLS, or none; logged in
    when the URL has a user."""
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    if parts.scheme == "smtps":
        session: smtplib.SMTP = smtplib.SMTP_SSL(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        session = smtplib.SMTP(parts.hostname, port, timeout=timeout)
        if parts.scheme == "smtp+starttls":
            session.starttls(context=ssl.create_default_context())
    try:
        if parts.username:
            session.login(unquote(parts.username), unquote(parts.password or ""))
    except BaseException:
        session.close()
        raise
    return session


def _refused_for_good(code: int) -> bool:
    return 500 <= code < 600


class EmailChannel(NotificationChannel):
    key = "email"
    name = {"zh-CN": "电子邮件", "en": "E-mail"}
    description = {
        "zh-CN": "通过组织的 SMTP 服务器发送邮件（日历邀请以 iCalendar 附件随信）。",
        "en": "Mail through the organisation's SMTP server (invitations carry an iCalendar attachment).",
    }

    def __init__(self, smtp_url: str | None, sender: str | None, timeout: float = TIMEOUT_SECONDS) -> None:
        self.smtp_url, self.sender, self.timeout = smtp_url, sender, timeout

    def reaches(self, recipient: Recipient) -> bool:
        return bool(self.smtp_url and self.sender and recipient.email)

    def send(self, message: Message, recipient: Recipient) -> None:
        """A 5xx answer to the recipient or the content is final (:class:`Undeliverable`); a server
        down, a 4xx or a timeout is raised as it is, to be tried again. Errors never show the URL
        (it may hold a password)."""
        if not self.reaches(recipient):
            raise Undeliverable("no SMTP server is configured, or the recipient has no e-mail address")
        mail = compose(message, recipient, self.sender)
        try:
            with connect(self.smtp_url, self.timeout) as session:
                session.send_message(mail, from_addr=self.sender, to_addrs=[recipient.email])
        except smtplib.SMTPRecipientsRefused as refused:
            code, answer = next(iter(refused.recipients.values()))
            error = f"the SMTP server refused the recipient: {code} {_text(answer)}"
            raise (Undeliverable(error) if _refused_for_good(code) else RuntimeError(error)) from None
        except smtplib.SMTPDataError as refused:
            error = f"the SMTP server refused the message: {refused.smtp_code} {_text(refused.smtp_error)}"
            raise (
                Undeliverable(error) if _refused_for_good(refused.smtp_code) else RuntimeError(error)
            ) from None


def _text(answer: bytes | str) -> str:
    return (answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer))[:200]


@hookimpl
def register_notification_channels():
    """Configured by the host's settings, which it checked when it started."""
    return [EmailChannel(os.environ.get("SALON_SMTP_URL") or None, os.environ.get("SALON_SMTP_FROM") or None)]
