"""Lint and format are part of the suite: without a check, formatting drifted in a quarter of
the files within a few merges. The ruff version is pinned in ``pyproject.toml`` (its rules and
style move between releases); settings are the ``[tool.ruff]`` section."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def ruff(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments, "."], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module", autouse=True)
def installed():
    if subprocess.run([sys.executable, "-m", "ruff", "--version"], capture_output=True).returncode != 0:
        pytest.fail("ruff is not installed: it is in the test extra (make install)")


def test_the_code_passes_the_linter():
    result = ruff("check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_formatted():
    result = ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
