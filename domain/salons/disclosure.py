"""What of a salon chart a viewer may see: whole, or aggregated by segment.

A data pack's charts are Vega-Lite specs with their rows inline, and a plugin may put one row
per person in them (the workshop's employee × month heatmap). Such a chart is served whole only
to a viewer who may see every person in it; anyone else gets the same chart with the person
rows replaced by segment means (segments of fewer than ``MIN_SEGMENT`` people folded into
"other", and "other" dropped when it is still too small, so no mean stands for one or two
people), plus a whole-chart mean and the rows of the people the viewer may see (their own).

A chart is "per person" when a value of its rows is an employee id the caller knows of: the
rule does not depend on a field name, so a third-party plugin's chart is covered too. Pure
functions of plain data, no database: the API looks the ids up and decides who is visible.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.disclosure import MIN_SEGMENT
from plugins.charts import natural_order

SEGMENT_FIELD = "segment"
PEOPLE_FIELD = "people"


@dataclass(frozen=True)
class Labels:
    """The words an aggregated chart shows (the caller translates them)."""

    segment: str = "Team"  # the axis or legend title where the person field was
    other: str = "Other"
    everyone: str = "All"


@dataclass(frozen=True)
class Disclosed:
    """A chart as it may be served, and the people whose own figures it shows (to audit)."""

    spec: dict[str, Any] | None  # None: withheld (person data the rule cannot aggregate)
    shown: frozenset[str] = field(default_factory=frozenset)


def strings_in(spec: Mapping[str, Any]) -> set[str]:
    """Every string of the spec: the candidates the caller looks up as employee ids."""
    found: set[str] = set()
    _walk_strings(spec, found)
    return found


def disclose(
    spec: Mapping[str, Any],
    segments: Mapping[str, str],
    visible: Collection[str],
    labels: Labels = Labels(),
) -> Disclosed:
    """``spec`` as a viewer may see it.

    :param segments: employee id → the segment (team) of every person the spec's strings may name.
    :param visible: the employee ids whose own figures this viewer may see.
    """
    named = {s for s in strings_in(spec) if s in segments}
    if not named:
        return Disclosed(dict(spec))
    if named <= set(visible):
        return Disclosed(dict(spec), frozenset(named))
    top = _top_rows(spec)
    outside: set[str] = set()
    _walk_strings({k: v for k, v in spec.items() if k != "data"}, outside)
    if top is None or any(s in segments for s in outside):
        return Disclosed(None)  # people named outside the main rows: no safe way to aggregate
    person_field = next(f for row in top for f, v in row.items() if _names(v, segments))
    rows, shown = aggregate(top, person_field, segments, visible, labels)
    served = copy.deepcopy(dict(spec))
    served["data"] = {**served["data"], "values": rows}
    _rename_field(served, person_field, labels.segment)
    teams = natural_order(
        (row[SEGMENT_FIELD] for row in rows if row[SEGMENT_FIELD] not in segments),
        last=[labels.other, labels.everyone],
    )
    _sort_segments(served, teams + natural_order(shown))
    return Disclosed(served, frozenset(shown))


def aggregate(
    rows: list[Mapping[str, Any]],
    person_field: str,
    segments: Mapping[str, str],
    visible: Collection[str],
    labels: Labels = Labels(),
) -> tuple[list[dict[str, Any]], set[str]]:
    """Rows of person figures → rows of segment means, by the rows' other non-number fields.

    Returns the new rows (``segment`` holds the segment or, for a visible person, their id;
    ``people`` how many people a mean stands for) and the visible people kept as they are.
    Every other field naming a person is dropped. A mean of fewer than ``MIN_SEGMENT`` people is
    never returned.
    """
    people_fields = {f for row in rows for f, v in row.items() if _names(v, segments)}
    members: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        person = row.get(person_field)
        if _names(person, segments):
            members[segments[person]].add(person)
    small = {segment for segment, people in members.items() if len(people) < MIN_SEGMENT}
    grouped: dict[tuple, list[Mapping[str, Any]]] = defaultdict(list)
    kept: list[dict[str, Any]] = []
    shown: set[str] = set()
    for row in rows:
        person = row.get(person_field)
        if not _names(person, segments):
            continue  # not a person we know of: it cannot be placed in a segment
        keys = tuple((f, v) for f, v in row.items() if f not in people_fields and _is_label(v))
        segment = labels.other if segments[person] in small else segments[person]
        grouped[(keys, segment)].append(row)
        grouped[(keys, labels.everyone)].append(row)
        if person in visible:
            shown.add(person)
            own = {f: v for f, v in row.items() if f not in people_fields}
            kept.append({**own, SEGMENT_FIELD: person, PEOPLE_FIELD: 1})
    means = []
    for (keys, segment), members_rows in grouped.items():
        people = {row[person_field] for row in members_rows}
        if len(people) < MIN_SEGMENT:
            continue
        means.append(
            {
                **dict(keys),
                SEGMENT_FIELD: segment,
                **_means(members_rows, people_fields),
                PEOPLE_FIELD: len(people),
            }
        )
    return means + kept, shown


def _means(rows: list[Mapping[str, Any]], people_fields: set[str]) -> dict[str, float]:
    values: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        for f, v in row.items():
            if f not in people_fields and _is_number(v):
                values[f].append(v)
    return {f: round(sum(vs) / len(vs), 4) for f, vs in values.items()}


def _is_label(value: Any) -> bool:
    """A value rows are grouped by (a month, a category); numbers are averaged, the rest dropped."""
    return value is None or isinstance(value, str | bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _top_rows(spec: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    data = spec.get("data")
    values = data.get("values") if isinstance(data, Mapping) else None
    return values if isinstance(values, list) and all(isinstance(r, Mapping) for r in values) else None


def _names(value: Any, segments: Mapping[str, str]) -> bool:
    return isinstance(value, str) and value in segments


def _walk_strings(node: Any, found: set[str]) -> None:
    if isinstance(node, str):
        found.add(node)
    elif isinstance(node, Mapping):
        for value in node.values():
            _walk_strings(value, found)
    elif isinstance(node, list):
        for item in node:
            _walk_strings(item, found)


def _rename_field(node: Any, old: str, title: str) -> None:
    """Point every encoding of ``old`` at the segment field (outside the data), retitled."""
    if isinstance(node, dict):
        if node.get("field") == old:
            node["field"] = SEGMENT_FIELD
            if "title" in node:
                node["title"] = title
        for key, value in node.items():
            if key not in ("data", "datasets"):
                _rename_field(value, old, title)
    elif isinstance(node, list):
        for item in node:
            _rename_field(item, old, title)


def _sort_segments(node: Any, order: list[str]) -> None:
    """Teams in natural order on the axis that showed people (二组 before 十组), "other" and
    "all" after them, the viewer's own rows last — not Vega's alphabetical default."""
    if isinstance(node, dict):
        encoding = node.get("encoding")
        for channel in ("x", "y"):
            found = encoding.get(channel) if isinstance(encoding, dict) else None
            if isinstance(found, dict) and found.get("field") == SEGMENT_FIELD:
                found["sort"] = order
        for layer in node.get("layer", ()) if isinstance(node.get("layer"), list) else ():
            _sort_segments(layer, order)
