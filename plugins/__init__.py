"""The plugin host: the public API third-party salon formats are written against.

A plugin imports what it needs from here::

    from plugins import hookimpl, SalonFormat, SalonDraft, AgendaItem

(``pluggy.HookimplMarker("salon")`` works as well for the marker) and declares one entry point
in the group ``salon.plugins``. ``plugins.testing`` is the authors' test kit. See
``docs/plugins.md``.
"""

from plugins.hookspecs import ENTRY_POINT_GROUP, PROJECT, hookimpl, hookspec  # noqa: I001  (markers first)
from plugins.formats import AgendaItem, Fit, SalonDraft, SalonFormat
from plugins.i18n import Text, localised
from plugins.settings import PluginSettings, Setting
from plugins.context import Context
from plugins.facts import (
    DepartmentFacts,
    DriverFacts,
    EmployeeFacts,
    Facts,
    GapFacts,
    GrowthNeedFacts,
    MetricFacts,
    ThemeFacts,
    ValueFacts,
)
from plugins.topics import GROWTH, SHORTFALL, Topic
from plugins.channels import Attachment, Message, NotificationChannel, Recipient, Undeliverable  # noqa: I001

__all__ = [
    "Attachment",
    "Message",
    "NotificationChannel",
    "Recipient",
    "Undeliverable",
    "ENTRY_POINT_GROUP",
    "GROWTH",
    "PROJECT",
    "SHORTFALL",
    "AgendaItem",
    "Context",
    "DepartmentFacts",
    "DriverFacts",
    "EmployeeFacts",
    "Facts",
    "Fit",
    "GapFacts",
    "GrowthNeedFacts",
    "MetricFacts",
    "PluginSettings",
    "SalonDraft",
    "SalonFormat",
    "Setting",
    "Text",
    "ThemeFacts",
    "Topic",
    "ValueFacts",
    "hookimpl",
    "hookspec",
    "localised",
]
