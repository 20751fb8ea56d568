"""salon-retro: the retrospective circle, a salon format for EHR Salon.

The host finds this module through the entry point in ``pyproject.toml`` and calls the
functions marked ``@hookimpl``: its settings, its format, and a closing round it may add to
every salon of the month.
"""

from __future__ import annotations

from plugins import AgendaItem, Setting, hookimpl

from salon_retro.format import RetrospectiveCircle
from salon_retro.texts import text

__all__ = ["RetrospectiveCircle"]


def _between(low: int, high: int):
    def check(value: int) -> str | None:
        return None if low <= value <= high else f"must be from {low} to {high}, got {value}"

    return check


@hookimpl
def register_settings():
    return [
        Setting("minutes", int, 60, "How long the circle runs, in minutes", check=_between(20, 240)),
        Setting("circle_size", int, 8, "Most people in one circle", check=_between(3, 20)),
        Setting("closing_round", bool, False, "End every salon, whatever its format, with a takeaway round"),
    ]


@hookimpl
def register_salon_formats():
    return [RetrospectiveCircle()]


@hookimpl
def prepare_salon_draft(draft, context):
    if context.settings["closing_round"]:
        draft.agenda.append(AgendaItem(text("agenda.takeaway", context.locale), 5))
