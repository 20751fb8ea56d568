"""Notification channels arrive through the ``salon.plugins`` entry points: e-mail and in-app
built in, a third party's (WeCom, Slack…) the same way; bad registrations are refused naming the
plugin."""

from __future__ import annotations

import textwrap
import types

import pytest

from plugins.builtin.email import EmailChannel
from plugins.builtin.in_app import InAppChannel
from plugins.channels import Message, Recipient
from plugins.registry import (
    DuplicateChannelKey,
    PluginError,
    by_key,
    get_plugin_manager,
    load_channels,
    load_formats,
)
from tests.support import declared, plugin_dists
from tests.support.declared import declared_plugins  # noqa: F401  (a fixture)

CHAT = """
import pluggy

from plugins.channels import NotificationChannel

hookimpl = pluggy.HookimplMarker("salon")
SENT = []


class ChatChannel(NotificationChannel):
    key = "chat"
    name = {"zh-CN": "企业微信", "en": "WeCom"}
    description = "Posts to the person's chat."

    def reaches(self, recipient):
        return recipient.employee_id.startswith("B")

    def send(self, message, recipient):
        SENT.append((recipient.employee_id, message.subject, message.key))


@hookimpl
def register_notification_channels():
    return [ChatChannel()]
"""

BEN = Recipient("B1", "Ben", "b1@example.com", "en")


def test_the_built_in_channels_are_declared_as_entry_points_of_their_own():
    assert {name: value for name, value in declared.declared().items() if "channel" in name} == {
        "email_channel": "plugins.builtin.email",
        "in_app_channel": "plugins.builtin.in_app",
    }


def test_hook_register_notification_channels(tmp_path, monkeypatch, declared_plugins):  # noqa: F811  (the fixture)
    """A third party's channel, installed as a distribution, is loaded beside the built-in ones,
    and the salon formats are unaffected."""
    plugin_dists.install(
        tmp_path / "site", monkeypatch, "salon-chat", "salon_chat", textwrap.dedent(CHAT), "chat"
    )
    manager = get_plugin_manager()

    channels = load_channels(manager)

    assert {key: c.plugin for key, c in channels.items()} == {
        "chat": "chat",
        "email": "email_channel",
        "in_app": "in_app_channel",
    }
    chat = channels["chat"].channel
    assert chat.reaches(BEN) and not chat.reaches(Recipient("O1", "欧一", None, "zh-CN"))
    chat.send(Message("k", "plan_reminder", "Plan reminder", "text", "<p>html</p>"), BEN)
    import salon_chat

    assert salon_chat.SENT == [("B1", "Plan reminder", "k")]
    assert list(load_formats(manager)) == [
        "cross_department_exchange",
        "data_review_workshop",
        "skill_sharing",
    ]


def test_the_email_channel_reaches_people_with_an_address_when_a_server_is_set():
    configured = EmailChannel("smtp://127.0.0.1:2525", "salon@example.com")

    assert configured.reaches(BEN)
    assert not configured.reaches(Recipient("P1", "彭一", None, "zh-CN"))
    assert not EmailChannel(None, None).reaches(BEN)
    assert InAppChannel().reaches(Recipient("P1", "彭一", None, "zh-CN"))


def _module(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(textwrap.dedent(source), module.__dict__)  # noqa: S102
    return module


def test_a_duplicate_key_is_refused_naming_both_plugins():
    one = _module("one", CHAT)
    two = _module("two", CHAT.replace("SENT = []", "SENT = ['other']"))

    with pytest.raises(DuplicateChannelKey) as refused:
        load_channels(get_plugin_manager(entry_points=False, plugins=[("one", one), ("two", two)]))

    assert "'chat'" in str(refused.value) and "'one'" in str(refused.value) and "'two'" in str(refused.value)


@pytest.mark.parametrize(
    ("returned", "words"),
    [
        ("ChatChannel()", "must return a list"),
        ("[object()]", "returned object, not a NotificationChannel"),
        ("[type('Blank', (NotificationChannel,), {})()]", "needs a key of 1 to 64 characters"),
    ],
)
def test_a_malformed_registration_is_refused_naming_the_plugin(returned, words):
    source = CHAT.replace("return [ChatChannel()]", f"return {returned}")

    with pytest.raises(PluginError) as refused:
        load_channels(get_plugin_manager(entry_points=False, plugins=[("odd", _module("odd", source))]))

    assert "plugin 'odd'" in str(refused.value) and words in str(refused.value)


def test_by_key_gives_the_channels_themselves():
    chat = _module("chat2", CHAT)

    channels = by_key(load_channels(get_plugin_manager(entry_points=False, plugins=[("chat", chat)])))

    assert list(channels) == ["chat"] and channels["chat"].key == "chat"


def test_the_documented_channel_example_works():
    import re
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text(encoding="utf-8")
    (source,) = [
        block for block in re.findall(r"```python\n(.*?)```", docs, flags=re.DOTALL) if "WeCom" in block
    ]
    posted = []
    module = types.ModuleType("salon_wecom_docs")
    module.post_to_wecom = lambda **fields: posted.append(fields)
    exec(compile(source, "docs/plugins.md", "exec"), module.__dict__)  # noqa: S102

    channels = by_key(load_channels(get_plugin_manager(entry_points=False, plugins=[("wecom", module)])))
    channels["wecom"].send(Message("k", "plan_reminder", "Plan reminder", "Where it stands", "<p/>"), BEN)

    assert posted == [{"user": "B1", "title": "Plan reminder", "text": "Where it stands"}]
