"""The built-in e-mail channel on a real SMTP server on loopback: the user and password of the
URL log in (percent-encoded), a wrong password is a failure to retry, not a refusal for good,
and the URL's password never shows in an error."""

from __future__ import annotations

import pytest

from plugins import Attachment, Message, Recipient, Undeliverable
from plugins.builtin.email import EmailChannel, compose
from tests.support.smtp import MailServer

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
BEN = Recipient("B1", "Ben", "b1@example.com", "en")
MESSAGE = Message(
    "plan:1:reminder:x:5:email", "plan_reminder", "Plan reminder", "Where it stands", "<p>Where</p>"
)


@pytest.fixture
def server():
    mail = MailServer(login=("salon@corp", "p@ss word")).start()
    yield mail
    mail.stop()


def test_the_urls_user_and_password_log_in(server):
    url = f"smtp://salon%40corp:p%40ss%20word@127.0.0.1:{server.port}"

    EmailChannel(url, "salon@example.com").send(MESSAGE, BEN)

    assert server.logins == ["salon@corp"]
    (mail,) = server.mails_to("b1@example.com")
    assert mail["Subject"] == "Plan reminder" and mail["Content-Language"] == "en"
    assert mail.get_body(("plain",)).get_content().strip() == "Where it stands"


def test_a_wrong_password_is_retried_and_never_shown(server):
    url = f"smtp://salon%40corp:hunter2secret@127.0.0.1:{server.port}"

    with pytest.raises(Exception) as failed:
        EmailChannel(url, "salon@example.com").send(MESSAGE, BEN)

    assert not isinstance(failed.value, Undeliverable)
    assert "hunter2secret" not in str(failed.value) and server.received == []


def test_the_message_id_follows_the_messages_key_so_a_repeat_is_recognisable():
    first, again = compose(MESSAGE, BEN, "salon@corp.example"), compose(MESSAGE, BEN, "salon@corp.example")
    other = compose(Message("another", "plan_reminder", "s", "t", "h"), BEN, "salon@corp.example")

    assert first["Message-ID"] == again["Message-ID"] != other["Message-ID"]
    assert first["Message-ID"].endswith("@corp.example>")


def test_other_attachments_travel_as_they_are():
    message = Message(
        "k", "progress_report", "s", "t", "h", attachments=(Attachment("chart.csv", "text/csv", b"a,b\n"),)
    )

    mail = compose(message, BEN, "salon@example.com")

    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename() == "chart.csv" and attachment.get_content_type() == "text/csv"
    assert message.calendar() is None
