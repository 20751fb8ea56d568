"""Hook specifications of the ``salon`` pluggy project.

Hooks are grouped by family, as Datasette does: ``register_*`` returns things to register,
``prepare_*`` changes an object in place. Each hook is typed and documented: plugin authors
depend on these signatures, and ``docs/plugins.md`` repeats each one exactly (a test compares
them). An implementation may take any subset of a hook's arguments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from plugins.channels import NotificationChannel
    from plugins.context import Context
    from plugins.contributions import Contribution
    from plugins.formats import SalonDraft, SalonFormat
    from plugins.settings import PluginSettings, Setting
    from plugins.topics import Topic

PROJECT = "salon"  # fixed: third parties write pluggy.HookimplMarker("salon")
ENTRY_POINT_GROUP = "salon.plugins"  # fixed: built-in and third-party plugins register here

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------------------------------------
# register_*: things the host collects once, when it starts
# ---------------------------------------------------------------------------------------------


@hookspec
def register_settings() -> list[Setting]:
    """Settings this plugin can be configured with.

    Called once when plugins are loaded, before any other hook. Each value comes from the
    variable ``SALON_PLUGIN_<KEY>_<NAME>`` (``<KEY>``: the plugin's entry point name in
    capitals), else from the plugin's table in the ``SALON_PLUGINS_SETTINGS`` file, else the
    default; a value of the wrong type stops the start with a line naming the variable.

    :return: a list of :class:`plugins.Setting` (name, type, default, help).
    """


@hookspec
def register_salon_formats(settings: PluginSettings) -> list[SalonFormat]:
    """Salon formats this plugin offers.

    Called once when the server or a worker starts, and when planning begins. Every key must
    be unique across all plugins: a duplicate stops the start with an error naming both plugins.

    :param settings: this plugin's setting values by name (see ``register_settings``).
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
    draft is validated after each implementation: one that raises, or leaves an invalid draft,
    is reported naming its plugin, and the draft goes on as it was before that implementation
    (other implementations' changes kept). Only that draft is affected.

    :param draft: the :class:`plugins.SalonDraft` to change.
    :param topic: the :class:`plugins.Topic` the salon is about.
    :param context: the read-only :class:`plugins.Context` of the department and locale; its
        ``settings`` are this plugin's.
    :param format_key: the key of the format that built the draft.
    """


# ---------------------------------------------------------------------------------------------
# contribution_*: decide a value the product would otherwise take from its settings
# ---------------------------------------------------------------------------------------------


@hookspec
def contribution_points(contribution: Contribution, points: float, settings: PluginSettings) -> float | None:
    """The appraisal points a salon contribution earns, instead of the points policy's.

    Called when a contribution is recorded — by HR or a manager, or for each attendee when a
    salon's attendance is recorded — with the points the policy gives its kind. The first
    implementation in pluggy's order (``tryfirst`` first) that returns a number decides, and
    the rest are not called; ``None`` leaves the decision to the next, and to the policy when
    every one does. The points are stored with the contribution: a plugin installed later
    does not change points already recorded. The per-cycle cap still applies to the sum.

    :param contribution: the :class:`plugins.contributions.Contribution` being recorded.
    :param points: what the points policy gives it.
    :param settings: this plugin's setting values by name (see ``register_settings``).
    :return: the points (a finite number, 0 or more), or ``None``. Anything else is refused
        with the plugin's name and nothing is recorded.
    """
