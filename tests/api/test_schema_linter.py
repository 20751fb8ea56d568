"""graphql-schema-linter, every rule, on the committed ``schema.graphql``: what a front-end
developer's audit runs. Needs Node and ``npm install`` (``package.json``); skipped without them,
``test_descriptions`` checks the description rules in Python either way."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def linter() -> str | None:
    local = ROOT / "node_modules" / ".bin" / "graphql-schema-linter"
    return str(local) if local.exists() else shutil.which("graphql-schema-linter")


@pytest.mark.skipif(linter() is None, reason="graphql-schema-linter is not installed (npm install)")
def test_the_schema_passes_every_rule_of_graphql_schema_linter():
    result = subprocess.run(
        [linter(), str(ROOT / "schema.graphql")], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors detected" in result.stdout
