"""Hook specifications of the ``salon`` pluggy project.

Hooks are grouped by family, as Datasette does: ``register_*`` returns things to register.
Each hook is typed and documented: plugin authors depend on these signatures, and
``docs/plugins.md`` repeats each one exactly (a test compares them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from plugins.channels import NotificationChannel
    from plugins.context import Context
    from plugins.formats import SalonDraft, SalonFormat
    from plugins.topics import Topic

PROJECT = "salon"  # fixed: third parties write pluggy.HookimplMarker("salon")
ENTRY_POINT_GROUP = "salon.plugins"  # fixed: built-in and third-party plugins register here

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------------------------------------
# register_*: things the host collects once, when it starts
# ---------------------------------------------------------------------------------------------


@hookspec
def register_salon_formats() -> list[SalonFormat]:
    """Salon formats this plugin offers.

    Called once when the server or a worker starts, and when planning begins. Every key must
    be unique across all plugins: a duplicate stops the start with an error naming both plugins.

    :return: a list of :class:`plugins.SalonFormat` instances (an empty list is fine).
    """


@hookspec
def register_notification_channels() -> list[NotificationChannel]:
    """Notification channels this plugin offers (e-mail and in-app are built in).

    Called when a worker delivers notifications and when ``salon remind`` runs. Each message
    is rendered in its recipient's language and sent once on every channel that ``reaches``
    them; the host retries a failed send with a backoff. Every key must be unique across all
    plugins: a duplicate stops the delivery with an error naming both plugins.

    :return: a list of :class:`plugins.channels.NotificationChannel` instances.
    """


# ---------------------------------------------------------------------------------------------
# prepare_*: change an object in place
# ---------------------------------------------------------------------------------------------


@hookspec
def prepare_salon_draft(draft: SalonDraft, topic: Topic, context: Context, format_key: str) -> None:
    """Change a draft in place after its format built it, before it is validated and stored.

    Called for every draft of every planned salon, once per locale (``context.locale``), with
    the key of the format that built it — e.g. to add a house agenda item to every salon. The
    changed draft is validated again; an implementation that raises, or leaves an invalid draft,
    is reported with the plugin's name and the planner tries the department's next best format.

    :param draft: the :class:`plugins.SalonDraft` to change.
    :param topic: the :class:`plugins.Topic` the salon is about.
    :param context: the read-only :class:`plugins.Context` of the department and locale.
    :param format_key: the key of the format that built the draft.
    """
