"""Checking what a plugin built before anything is stored: a clear error naming the plugin.

A draft refers to people and departments by their natural ids; everything it names must
exist, and every field must have the documented type, or the draft is refused whole.
"""

from __future__ import annotations

from typing import Any

from plugins.context import Context
from plugins.formats import AgendaItem, SalonDraft
from plugins.loading import PluginError


class DraftInvalid(PluginError):
    """A format's ``build`` returned something that is not a valid ``SalonDraft``."""


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def draft_problems(draft: Any, context: Context) -> list[str]:
    """Every problem with ``draft`` (empty when it is valid), field by field."""
    if not isinstance(draft, SalonDraft):
        return [f"build must return a SalonDraft, not {type(draft).__name__}"]
    problems = []
    if not isinstance(draft.title, str) or not draft.title.strip():
        problems.append("title: must be a non-empty string")
    if not isinstance(draft.agenda, list) or not all(
        isinstance(item, AgendaItem)
        and isinstance(item.title, str)
        and item.title.strip()
        and isinstance(item.minutes, int)
        and not isinstance(item.minutes, bool)
        and 0 < item.minutes <= 600
        for item in draft.agenda
    ):
        problems.append("agenda: must be a list of AgendaItem with a title and 1–600 minutes")
    if not _strings(draft.questions):
        problems.append("questions: must be a list of strings")
    known = context.facts.employees
    for field in ("presenters", "participants"):
        people = getattr(draft, field)
        if not _strings(people):
            problems.append(f"{field}: must be a list of employee ids")
        elif unknown := [p for p in people if p not in known]:
            problems.append(f"{field}: {len(unknown)} unknown employee id(s)")
    if not isinstance(draft.groups, list) or not all(_strings(group) for group in draft.groups):
        problems.append("groups: must be a list of lists of employee ids")
    elif any(p not in known for group in draft.groups for p in group):
        problems.append("groups: unknown employee id(s)")
    if not isinstance(draft.charts, list) or not all(
        isinstance(chart, dict) and isinstance(chart.get("title"), str) and chart["title"].strip()
        for chart in draft.charts
    ):
        problems.append("charts: must be a list of Vega-Lite specs (dicts), each with a title")
    departments = context.facts.departments
    if draft.host_department is not None and draft.host_department not in departments:
        problems.append(f"host_department: unknown department {draft.host_department!r}")
    if not _strings(draft.departments):
        problems.append("departments: must be a list of department codes")
    elif unknown := [d for d in draft.departments if d not in departments]:
        problems.append(f"departments: unknown department(s) {unknown}")
    return problems


def validated(draft: Any, plugin: str, format_key: str, context: Context) -> SalonDraft:
    """``draft`` when valid, else ``DraftInvalid`` naming the plugin (as messages name it:
    ``'retro' from salon-retro 1.0``), the format and every problem."""
    problems = draft_problems(draft, context)
    if problems:
        raise DraftInvalid(
            f"plugin {plugin}: format {format_key!r} built an invalid draft: " + "; ".join(problems),
            plugin=plugin,
        )
    return draft
