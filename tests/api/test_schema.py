"""The committed ``schema.graphql`` is what the code serves: front ends build against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.scalars import PERIOD_SCALAR
from api.schema import make_schema, sdl
from domain.periods import PeriodError
from domain.settings import Settings

SCHEMA_FILE = Path(__file__).parents[2] / "schema.graphql"


def test_schema_file_matches_the_code():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == sdl(), (
        "schema.graphql drifted: run `salon export-schema > schema.graphql`"
    )


def test_contract_names_exist():
    text = sdl()
    for name in ("enum Direction", "HIGHER_IS_BETTER", "LOWER_IS_BETTER", "enum JobStatus", "scalar Period"):
        assert name in text
    query = make_schema(Settings())._schema.query_type.fields
    assert "departments" in query and "metrics" in query
    # arguments read from the schema: a described argument spreads over lines in the SDL
    for field, argument, kind in (
        ("department", "code", "String!"),
        ("employee", "id", "String!"),
        ("job", "id", "ID!"),
    ):
        assert str(query[field].args[argument].type) == kind


def test_period_scalar_rejects_what_is_not_a_period():
    definition = PERIOD_SCALAR
    assert str(definition.parse_value("2026-Q3")) == "2026-Q3"
    with pytest.raises(PeriodError, match="expected YYYY-MM"):
        definition.parse_value("2026-13")
