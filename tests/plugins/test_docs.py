"""docs/plugins.md documents what a plugin reads: every facts type (exported by ``plugins``) with
each of its fields, the chart builders with their exact parameters, the kit's functions."""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

import pytest

import plugins
import plugins.testing
from plugins import charts, facts

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text(encoding="utf-8")
FACT_TYPES = sorted(
    name
    for name, value in vars(facts).items()
    if dataclasses.is_dataclass(value) and value.__module__ == facts.__name__
)


def _value(value) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple) and value:
        return "(" + ", ".join(map(_value, value)) + ")"
    return repr(value)


def _parameters(function) -> str:
    """``name(a, b=1, *, c=None)`` as the docs write it (strings in double quotes)."""
    shown, starred = [], False
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is parameter.VAR_POSITIONAL:
            shown.append(f"*{parameter.name}")
            starred = True
            continue
        if parameter.kind is parameter.KEYWORD_ONLY and not starred:
            shown.append("*")
            starred = True
        default = "" if parameter.default is parameter.empty else f"={_value(parameter.default)}"
        shown.append(parameter.name + default)
    return f"{function.__name__}({', '.join(shown)})"


@pytest.mark.parametrize("name", FACT_TYPES)
def test_every_facts_type_is_exported_and_documented_with_its_fields(name):
    fields = [f.name for f in dataclasses.fields(getattr(facts, name))]
    section = DOCS.split(f"**`{name}`**", 1)[1].split("\n**`", 1)[0].split("\n### ", 1)[0]

    assert name in plugins.__all__
    assert [f for f in fields if f"`{f}`" not in section] == []


@pytest.mark.parametrize(
    "builder", ["bar", "lines", "line_with_target", "heatmap", "group_means", "natural_order"]
)
def test_every_chart_builder_is_documented_with_its_exact_parameters(builder):
    assert f"`{_parameters(getattr(charts, builder))}" in DOCS


@pytest.mark.parametrize(
    "name", ["department", "metric", "company", "topic", "context", "plan", "fits", "format_problems"]
)
def test_the_kits_functions_are_documented_with_their_parameters(name):
    assert f"`{_parameters(getattr(plugins.testing, name))}`" in DOCS


def test_the_docs_no_longer_claim_a_plugin_needs_no_import_of_ours():
    assert re.search(r"without importing (us|our)", DOCS) is None
    assert "from plugins import" in DOCS
