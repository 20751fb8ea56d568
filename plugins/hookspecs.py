"""Hook specifications of the ``salon`` pluggy project.

Hooks are grouped by family, as Datasette does: ``register_*`` returns things to register.
Each hook is typed and documented: plugin authors depend on these signatures.
"""

from __future__ import annotations

import pluggy

PROJECT = "salon"  # fixed: third parties write pluggy.HookimplMarker("salon")
ENTRY_POINT_GROUP = "salon.plugins"  # fixed: built-in and third-party plugins register here

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
