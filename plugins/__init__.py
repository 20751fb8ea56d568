"""The plugin host: the public API third-party salon formats are written against.

A plugin needs one import::

    from plugins import hookimpl, SalonFormat, SalonDraft, AgendaItem

(``pluggy.HookimplMarker("salon")`` works as well) and one entry point in the group
``salon.plugins``. See ``docs/plugins.md``.
"""

from plugins.hookspecs import ENTRY_POINT_GROUP, PROJECT, hookimpl, hookspec  # noqa: I001  (markers first)
from plugins.formats import AgendaItem, SalonDraft, SalonFormat, Text, localised
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
    "GapFacts",
    "GrowthNeedFacts",
    "MetricFacts",
    "ThemeFacts",
    "ValueFacts",
    "SalonDraft",
    "SalonFormat",
    "Text",
    "Topic",
    "hookimpl",
    "hookspec",
    "localised",
]
