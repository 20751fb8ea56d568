"""Hook specifications of the ``salon`` pluggy project.

Hooks are grouped by family, as Datasette does: ``register_*`` returns things to register.
Each hook is typed and documented: plugin authors depend on these signatures, and
``docs/plugins.md`` repeats each one exactly (a test compares them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from plugins.formats import SalonFormat

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
