"""Vega-Lite spec builders for data packs: a bar by category, lines (against a target, or one per
department), a heatmap — charts people read at a glance.

Each returns a complete, self-contained spec (inline data, a ``title``) that any Vega-Lite 5
renderer draws as is; the front end needs no knowledge of our tables. What makes a chart
readable is decided here once, for every format:

- a metric whose unit is ``%`` holds fractions (``0.149``): its axes, legends and tooltips say
  ``14.9%``, not ``0.149``;
- categories (teams, groups, departments) come in natural order — 一组 二组 … 十组 十一组, Team 2
  before Team 10 — as the encoding's explicit ``sort``, not Vega's alphabetical default;
- several lines (actual and target, one per department) are values of one ``series`` field,
  named in the salon's language, so the legend tells them apart;
- red is worse and green better whichever way the metric points: a lower-is-better metric
  reverses the heatmap's scale, and bars are coloured by the side of the target (or average)
  they are on;
- a value axis says its unit in the reader's language (:func:`value_title`: 培训时长（小时）,
  Training hours (hours)); a percent metric's says it with its ticks.

Every word a chart shows is the caller's, translated through the catalogs; the builders add none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from domain.disclosure import MIN_SEGMENT
from plugins.i18n import translate, unit_name

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
PERCENT = "%"  # the unit of a metric stored as a fraction of one
SERIES = "series"  # the field naming a row's line in :func:`lines` and :func:`line_with_target`
VALUE = "value"  # the field of a long row's figure
SIDE = "side"  # the field :func:`bar` adds: which side of the reference a bar is on
BETTER, WORSE, NEUTRAL, MUTED = "#1a9850", "#d73027", "#4c78a8", "#9e9e9e"  # green, red, blue, grey
PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#eeca3b", "#ff9da6", "#9d755d")
DIVERGING = "redyellowgreen"  # low red, high green: reversed where lower is better

# ---- natural order -------------------------------------------------------------------------

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"(\d+|[零〇一二两三四五六七八九十百千万]+)")


def _chinese_number(run: str) -> int:
    """十一 → 11, 二十 → 20, 一百零五 → 105; digits without units read one by one (一〇 → 10)."""
    if not any(ch in _UNITS or ch == "万" for ch in run):
        return int("".join(str(_DIGITS[ch]) for ch in run))
    total = section = digit = 0
    for ch in run:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch == "万":
            total, section, digit = total + (section + digit) * 10_000, 0, 0
        else:
            section, digit = section + (digit or 1) * _UNITS[ch], 0  # 十 alone is ten
    return total + section + digit


def natural_key(text: str) -> tuple:
    """A sort key reading numbers as numbers, in Arabic digits or Chinese numerals: 二组 before
    十组, Team 2 before Team 10; numbers before words at the same place, then the text itself."""
    parts = []
    for part in _NUMBER.split(str(text)):
        if not part:
            continue
        if part.isdigit():
            parts.append((0, int(part), ""))
        elif _NUMBER.fullmatch(part):
            parts.append((0, _chinese_number(part), ""))
        else:
            parts.append((1, 0, part.casefold()))
    return (tuple(parts), str(text))


def natural_order(values: Iterable[Any], last: Sequence[Any] = ()) -> list[Any]:
    """The distinct ``values`` in natural order, any of ``last`` (an "other" row) at the end."""
    seen = list(dict.fromkeys(v for v in values if v is not None))
    return sorted((v for v in seen if v not in last), key=natural_key) + [v for v in last if v in seen]


# ---- formats -------------------------------------------------------------------------------


def axis_format(unit: str) -> dict[str, str]:
    """An axis's or legend's number format: percents for a ``%`` metric (``8%``, ``2.5%``: one
    decimal where the ticks need it, so no two ticks read alike), else Vega's own."""
    return {"format": ".1~%"} if unit == PERCENT else {}


def value_title(name: str, unit: str, locale: str) -> str:
    """A value axis's (or legend's) title: the metric's ``name`` with its unit as the reader of
    ``locale`` names it (CLDR units and currencies through Babel, else the unit as imported) —
    ``培训时长（小时）``, ``Training hours (hours)``; the bare name for a percent or unitless metric,
    whose ticks say all there is."""
    said = unit_name(unit, locale)
    return translate("chart.axis_unit", locale, metric=name, unit=said) if said else name


def _tooltip_format(unit: str) -> str:
    return ".1%" if unit == PERCENT else ",.2~f"


def _quantity(field: str, title: str, unit: str) -> dict[str, Any]:
    """A tooltip entry for a figure, in the unit's format."""
    return {"field": field, "type": "quantitative", "title": title, "format": _tooltip_format(unit)}


def _spec(title: str, rows: Sequence[Mapping[str, Any]], **rest: Any) -> dict[str, Any]:
    return {"$schema": SCHEMA, "title": title, "data": {"values": [dict(row) for row in rows]}, **rest}


def better_side(value: float, reference: float, direction: str) -> bool:
    """Whether ``value`` is on the good side of ``reference`` (meeting it counts as good)."""
    return value >= reference if direction != "lower" else value <= reference


# ---- builders ------------------------------------------------------------------------------


def bar(
    title: str,
    rows: Sequence[Mapping[str, Any]],
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    *,
    unit: str = "",
    order: Sequence[Any] | None = None,
    reference: float | None = None,
    direction: str = "higher",
    sides: tuple[str, str] | None = None,
) -> dict:
    """One bar per row: ``x`` is the category field, ``y`` the value field.

    Categories come in ``order`` (default: natural order). Given a ``reference`` (a target, an
    average) and ``sides`` — the legend's names for its good and bad side, in the salon's
    language — each bar is green or red by the side it is on in the metric's ``direction``
    (``"higher"`` or ``"lower"`` is better), the side named in a ``side`` field of its row.
    """
    values = [dict(row) for row in rows]
    sort = list(order) if order is not None else natural_order(row.get(x) for row in values)
    encoding: dict[str, Any] = {
        "x": {"field": x, "type": "nominal", "title": x_title, "sort": sort, "axis": {"labelAngle": 0}},
        "y": {"field": y, "type": "quantitative", "title": y_title, "axis": axis_format(unit)},
        "tooltip": [{"field": x, "type": "nominal", "title": x_title}, _quantity(y, y_title, unit)],
    }
    if reference is not None and sides is not None:
        good, bad = sides
        for row in values:
            row[SIDE] = good if better_side(row[y], reference, direction) else bad
        encoding["color"] = {
            "field": SIDE, "type": "nominal", "scale": {"domain": [good, bad], "range": [BETTER, WORSE]},
            "legend": {"title": None},
        }  # fmt: skip
    else:
        encoding["color"] = {"value": NEUTRAL}
    return _spec(title, values, width={"step": 40}, mark="bar", encoding=encoding)  # room for a label


def lines(
    title: str,
    rows: Sequence[Mapping[str, Any]],
    x: str,
    y: str,
    series: str,
    x_title: str,
    y_title: str,
    *,
    unit: str = "",
    order: Sequence[str] | None = None,
    highlight: Sequence[str] = (),
    dashed: Sequence[str] = (),
    series_title: str | None = None,
) -> dict:
    """A line of ``y`` over ``x`` (ordinal months) per value of the ``series`` field, with a legend.

    Series come in ``order`` (default: natural order) in the legend and the colours; the
    ``highlight`` ones are drawn bold (the host of an exchange), the ``dashed`` ones dashed and
    grey, without points (a target).
    """
    values = [dict(row) for row in rows]
    domain = list(order) if order is not None else natural_order(row.get(series) for row in values)
    colours, palette = [], iter(PALETTE * (len(domain) // len(PALETTE) + 1))
    for name in domain:
        colours.append(MUTED if name in dashed else next(palette))
    legend = {"title": series_title, "symbolType": "stroke"}
    encoding_x = {"field": x, "type": "ordinal", "title": x_title, "sort": "ascending"}
    encoding_y = {
        "field": y, "type": "quantitative", "title": y_title, "axis": axis_format(unit), "scale": {"zero": False},
    }  # fmt: skip
    colour = {
        "field": series,
        "type": "nominal",
        "scale": {"domain": domain, "range": colours},
        "legend": legend,
    }
    line = {
        "x": encoding_x,
        "y": encoding_y,
        "color": colour,
        "strokeDash": {
            "field": series, "type": "nominal", "legend": legend,
            "scale": {"domain": domain, "range": [[4, 4] if name in dashed else [1, 0] for name in domain]},
        },
    }  # fmt: skip
    if highlight:  # bold, the others thin: a width is no category, so no legend of its own
        line["strokeWidth"] = {
            "condition": {"test": {"field": series, "oneOf": list(highlight)}, "value": 4},
            "value": 2,
        }
    points = {
        "x": encoding_x,
        "y": encoding_y,
        "color": colour,
        "tooltip": [
            {"field": x, "type": "ordinal", "title": x_title},
            {"field": series, "type": "nominal", "title": series_title or y_title},
            _quantity(y, y_title, unit),
        ],
    }
    solid = [name for name in domain if name not in dashed]
    return _spec(
        title,
        values,
        layer=[
            {"mark": {"type": "line"}, "encoding": line},
            {
                "mark": {"type": "point", "filled": True},
                "transform": [{"filter": {"field": series, "oneOf": solid}}],
                "encoding": points,
            },
        ],
    )


def line_with_target(
    title: str,
    rows: Sequence[Mapping[str, Any]],
    x: str,
    y: str,
    target: str,
    x_title: str,
    y_title: str,
    target_title: str,
    *,
    unit: str = "",
    axis_title: str | None = None,
) -> dict:
    """A line of ``y`` over ``x`` (months) and the ``target`` field dashed beside it, told apart
    by a legend naming them ``y_title`` and ``target_title``; the value axis is titled
    ``axis_title`` (default ``y_title``). The rows become :func:`lines`' long rows
    (``x``, ``series``, ``value``); a row without a target draws no target point."""
    long = []
    for row in rows:
        long.append({x: row[x], SERIES: y_title, VALUE: row[y]})
        if row.get(target) is not None:
            long.append({x: row[x], SERIES: target_title, VALUE: row[target]})
    order = [y_title] + ([target_title] if any(r[SERIES] == target_title for r in long) else [])
    return lines(
        title,
        long,
        x,
        VALUE,
        SERIES,
        x_title,
        axis_title or y_title,
        unit=unit,
        order=order,
        dashed=[target_title],
    )


def heatmap(
    title: str,
    rows: Sequence[Mapping[str, Any]],
    x: str,
    y: str,
    value: str,
    x_title: str,
    y_title: str,
    value_title: str,
    *,
    unit: str = "",
    direction: str | None = None,
    midpoint: float | None = None,
    order: Sequence[Any] | None = None,
) -> dict:
    """Cells of ``value`` by ``x`` (ordinal) and ``y`` (nominal, in ``order`` when given).

    With a ``direction`` (``"higher"`` or ``"lower"`` is better) the cells run from red (worse)
    to green (better), centred on ``midpoint`` (a target) when given; without, one neutral hue.
    """
    scale: dict[str, Any] = {"scheme": "blues"}
    if direction is not None:
        scale = {"scheme": DIVERGING, "reverse": direction == "lower"}
        if midpoint is not None:
            scale["domainMid"] = midpoint
    encoding_y: dict[str, Any] = {"field": y, "type": "nominal", "title": y_title}
    if order is not None:
        encoding_y["sort"] = list(order)
    return _spec(
        title,
        rows,
        mark="rect",
        encoding={
            "x": {"field": x, "type": "ordinal", "title": x_title, "sort": "ascending"},
            "y": encoding_y,
            "color": {
                "field": value, "type": "quantitative", "title": value_title, "scale": scale,
                "legend": axis_format(unit),
            },
            "tooltip": [
                {"field": x, "type": "ordinal", "title": x_title},
                {"field": y, "type": "nominal", "title": y_title},
                _quantity(value, value_title, unit),
            ],
        },
    )  # fmt: skip


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
