"""The plugin host: the public API third-party salon formats are written against.

A plugin needs one import::

    from plugins import hookimpl, SalonFormat, SalonDraft, AgendaItem

(``pluggy.HookimplMarker("salon")`` works as well) and one entry point in the group
``salon.plugins``. See ``docs/plugins.md``.
"""

from plugins.hookspecs import ENTRY_POINT_GROUP, PROJECT, hookimpl, hookspec  # noqa: I001  (markers first)
from plugins.formats import AgendaItem, SalonDraft, SalonFormat, Text, localised
from plugins.context import Context, Facts
from plugins.topics import Topic

__all__ = [
    "ENTRY_POINT_GROUP",
    "PROJECT",
    "AgendaItem",
    "Context",
    "Facts",
    "SalonDraft",
    "SalonFormat",
    "Text",
    "Topic",
    "hookimpl",
    "hookspec",
    "localised",
]
