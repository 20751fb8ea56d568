"""Vega-Lite spec builders for data packs: a bar by category, a line against target, a heatmap.

Each returns a complete, self-contained spec (inline data, a ``title``) that any Vega-Lite 5
renderer draws as is; the front end needs no knowledge of our tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from domain.disclosure import MIN_SEGMENT

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def bar(title: str, rows: Sequence[Mapping[str, Any]], x: str, y: str, x_title: str, y_title: str) -> dict:
    """One bar per row: ``x`` is the category field, ``y`` the value field."""
    return {
        "$schema": SCHEMA,
        "title": title,
        "data": {"values": [dict(row) for row in rows]},
        "mark": "bar",
        "encoding": {
            "x": {"field": x, "type": "nominal", "title": x_title, "sort": None},
            "y": {"field": y, "type": "quantitative", "title": y_title},
        },
    }


def line_with_target(
    title: str,
    rows: Sequence[Mapping[str, Any]],
    x: str,
    y: str,
    target: str,
    x_title: str,
    y_title: str,
    target_title: str,
) -> dict:
    """A line of ``y`` over ``x`` (ordinal months) with the ``target`` field dashed beside it."""
    encoding_x = {"field": x, "type": "ordinal", "title": x_title}
    return {
        "$schema": SCHEMA,
        "title": title,
        "data": {"values": [dict(row) for row in rows]},
        "layer": [
            {
                "mark": {"type": "line", "point": True},
                "encoding": {"x": encoding_x, "y": {"field": y, "type": "quantitative", "title": y_title}},
            },
            {
                "mark": {"type": "line", "strokeDash": [4, 4]},
                "encoding": {
                    "x": encoding_x,
                    "y": {"field": target, "type": "quantitative", "title": target_title},
                },
            },
        ],
    }


def heatmap(
    title: str,
    rows: Sequence[Mapping[str, Any]],
    x: str,
    y: str,
    value: str,
    x_title: str,
    y_title: str,
    value_title: str,
) -> dict:
    """Cells of ``value`` by ``x`` (ordinal) and ``y`` (nominal)."""
    return {
        "$schema": SCHEMA,
        "title": title,
        "data": {"values": [dict(row) for row in rows]},
        "mark": "rect",
        "encoding": {
            "x": {"field": x, "type": "ordinal", "title": x_title},
            "y": {"field": y, "type": "nominal", "title": y_title},
            "color": {"field": value, "type": "quantitative", "title": value_title},
        },
    }


def group_means(
    values: Iterable[tuple[str, str, float]], other: str, minimum: int = MIN_SEGMENT
) -> list[dict[str, Any]]:
    """Rows ``{"group", "value", "people"}``: the mean of ``(group, person, value)`` triples per
    group, for a chart the whole room sees.

    A group of fewer than ``minimum`` people would show a handful of colleagues' figures, so
    such groups are folded into one ``other`` row — with the smallest shown groups added until
    it holds ``minimum`` people, so the folded mean cannot be worked back from the shown ones and
    the department's mean. When everything ends up folded, there is nothing to show by group.
    """
    members: dict[str, set[str]] = defaultdict(set)
    figures: dict[str, list[float]] = defaultdict(list)
    for group, person, value in values:
        members[group].add(person)
        figures[group].append(value)
    folded = [g for g in members if len(members[g]) < minimum]
    shown = sorted((g for g in members if len(members[g]) >= minimum), key=lambda g: (len(members[g]), g))
    if folded:
        while shown and sum(len(members[g]) for g in folded) < minimum:
            folded.append(shown.pop(0))
        if not shown:
            return []
    rows = [
        {"group": g, "value": round(sum(figures[g]) / len(figures[g]), 4), "people": len(members[g])}
        for g in shown
    ]
    if folded:
        merged = [v for g in folded for v in figures[g]]
        people = sum(len(members[g]) for g in folded)
        rows.append({"group": other, "value": round(sum(merged) / len(merged), 4), "people": people})
    return rows
