"""The plugin host (salon formats and other extensions arrive with their hooks).

A plugin needs one import, ``from plugins import hookimpl``; a third party may equally write
``pluggy.HookimplMarker("salon")``. Entry point group: ``salon.plugins``.
"""

from plugins.hookspecs import PROJECT, hookimpl, hookspec

__all__ = ["PROJECT", "hookimpl", "hookspec"]
