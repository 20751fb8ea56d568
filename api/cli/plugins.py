"""``salon plugins``: the installed plugins — where each came from, its hooks, formats and
settings — and ``salon explain``: why the planner would choose what it chooses, as a table."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from domain.salons.fits import TopicFits
from plugins.context import Context
from plugins.i18n import localised
from plugins.loading import hook_names, plugin_names
from plugins.registry import RegisteredFormat, SalonPluginManager
from plugins.settings import TYPES, variable


def describe(
    manager: SalonPluginManager, formats: dict[str, RegisteredFormat], locale: str
) -> list[dict[str, Any]]:
    """Each plugin, by name: distribution, version, entry point (or file), hooks, formats, settings."""
    described = []
    for name in plugin_names(manager):
        info = manager.info(name)
        settings = manager.settings_of(name)
        described.append(
            {
                "name": name,
                "distribution": info.distribution,
                "version": info.version,
                "entry_point": info.entry_point,
                "path": info.path,
                "hooks": hook_names(manager, name),
                "formats": [
                    {"key": key, "name": localised(f.format.name, locale)}
                    for key, f in formats.items()
                    if f.plugin == name
                ],
                "settings": [
                    {
                        "name": setting.name,
                        "variable": variable(name, setting.name),
                        "type": TYPES[setting.type],
                        "value": settings[setting.name],
                        "default": setting.default,
                        "source": settings.source(setting.name),
                        "help": setting.help,
                    }
                    for setting in settings.declared.values()
                ],
            }
        )
    return described


def _value(value: Any) -> str:
    return "unset" if value is None else json.dumps(value, ensure_ascii=False)


def plugins_text(described: list[dict[str, Any]], disabled: tuple[str, ...]) -> str:
    lines = []
    for plugin in described:
        origin = (
            f"{plugin['distribution']} {plugin['version'] or ''}".strip()
            if plugin["distribution"]
            else (plugin["path"] and "SALON_PLUGINS_DIR") or "registered in code"
        )
        where = f"entry point {plugin['entry_point']}" if plugin["entry_point"] else plugin["path"] or ""
        lines.append(f"{plugin['name']}  {origin}" + (f"  ({where})" if where else ""))
        lines.append(f"  hooks:    {', '.join(plugin['hooks']) or '-'}")
        shown = [f"{f['key']} ({f['name']})" for f in plugin["formats"]]
        lines.append(f"  formats:  {', '.join(shown) or '-'}")
        for index, s in enumerate(plugin["settings"]):
            label = "  settings: " if index == 0 else "            "
            lines.append(
                f"{label}{s['variable']} = {_value(s['value'])}  ({s['type']}, default {_value(s['default'])}, "
                f"from {s['source']})" + (f"  {s['help']}" if s["help"] else "")
            )
    if disabled:
        lines.append(f"disabled (SALON_DISABLE_PLUGINS): {', '.join(disabled)}")
    return "\n".join(lines)


def _number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def explain_rows(fits: list[TopicFits], context: Context, title) -> list[tuple[str, ...]]:
    """One row per (topic, format): the topic's rank, title, severity and relevance on its first
    row; the format's fit, planner score and reason; ``*`` marks the planner's best pair."""
    best = max(
        (
            (fit.planner_score, -rank, fit.format_key)
            for rank, e in enumerate(fits)
            for fit in e.fits
            if fit.score > 0 and fit.planner_score is not None
        ),
        default=None,
    )
    rows = []
    for rank, entry in enumerate(fits):
        for index, fit in enumerate(entry.fits):
            first = index == 0
            chosen = best is not None and (fit.planner_score, -rank, fit.format_key) == best
            reason = fit.error or (localised(fit.reason, context.locale) if fit.reason is not None else "")
            rows.append(
                (
                    str(rank + 1) if first else "",
                    title(entry.topic, context) if first else "",
                    _number(entry.topic.severity, 2) if first else "",
                    _number(entry.relevance, 2) if first else "",
                    ("* " if chosen else "  ") + fit.format_key,
                    _number(fit.score, 2),
                    _number(fit.planner_score, 3),
                    reason,
                )
            )
    return rows


EXPLAIN_COLUMNS = ("#", "topic", "severity", "relevance", "  format", "fit", "score", "reason")


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = [columns, *rows]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(columns))]
    return "\n".join(
        "  ".join(
            cell + " " * (width - _width(cell)) for cell, width in zip(line, widths, strict=True)
        ).rstrip()
        for line in lines
    )
