"""The points policy: what each kind of salon contribution earns at appraisal, and the cap.

The source's rule is the default — "被评为'优秀分享者'，在下次绩效考核中加2分", "'问题解决者'…加3分":
ATTENDEE 0, SHARER 1, EXCELLENT_SHARER 2, PROBLEM_SOLVER 3, and at most 5 points per person per
cycle, so that the bonus rewards sharing without outweighing the appraisal itself. A company
sets its own in a TOML file named by ``SALON_CONTRIBUTION_POLICY``::

    cap = 5            # most points per person and appraisal cycle

    [points]           # kinds left out keep their default
    attendee = 0
    sharer = 1
    excellent_sharer = 2
    problem_solver = 3

The file is checked when the settings are read (a bad one stops the start, naming the key) and
read again where points are given, so a corrected file applies without a restart. Points are
stored with each contribution when it is recorded; the cap applies when a bonus is summed.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from domain.vocabulary import ContributionKind

DEFAULT_POINTS: dict[ContributionKind, float] = {
    ContributionKind.ATTENDEE: 0.0,
    ContributionKind.SHARER: 1.0,
    ContributionKind.EXCELLENT_SHARER: 2.0,
    ContributionKind.PROBLEM_SOLVER: 3.0,
}
DEFAULT_CAP = 5.0
KEYS = ("cap", "points")


class PolicyError(ValueError):
    """The policy file cannot be used; the message names the key and the reason."""


@dataclass(frozen=True)
class PointsPolicy:
    points: MappingProxyType = field(default_factory=lambda: MappingProxyType(dict(DEFAULT_POINTS)))
    cap: float = DEFAULT_CAP  # per person and cycle

    def of(self, kind: ContributionKind | str) -> float:
        return self.points[ContributionKind(kind)]


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PolicyError(f"{key}: must be a number, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise PolicyError(f"{key}: must be a finite number of 0 or more, got {value!r}")
    return float(value)


def parse_policy(document: dict[str, Any]) -> PointsPolicy:
    """A policy from a parsed TOML document; unknown keys are refused (a misspelt kind would
    otherwise leave its default in force without anyone noticing)."""
    if unknown := sorted(set(document) - set(KEYS)):
        raise PolicyError(f"unknown key(s) {unknown}; expected {list(KEYS)}")
    cap = _number(document["cap"], "cap") if "cap" in document else DEFAULT_CAP
    table = document.get("points", {})
    if not isinstance(table, dict):
        raise PolicyError("points: must be a table ([points]) of kind = number")
    points = dict(DEFAULT_POINTS)
    known = {kind.value: kind for kind in ContributionKind}
    for key, value in table.items():
        kind = known.get(key.lower())
        if kind is None:
            raise PolicyError(f"points.{key}: unknown contribution kind; expected one of {sorted(known)}")
        points[kind] = _number(value, f"points.{key}")
    return PointsPolicy(MappingProxyType(points), cap)


def read_policy(path: Path) -> PointsPolicy:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{path} is not valid TOML: {error}") from None
    return parse_policy(document)


def load_policy(path: str | None) -> PointsPolicy:
    """The policy of ``SALON_CONTRIBUTION_POLICY`` (the defaults when it is unset)."""
    return PointsPolicy() if path is None else read_policy(Path(path))
