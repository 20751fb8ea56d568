"""Vega-Lite spec builders for data packs: a bar by category, a line against target, a heatmap.

Each returns a complete, self-contained spec (inline data, a ``title``) that any Vega-Lite 5
renderer draws as is; the front end needs no knowledge of our tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
