"""The read-only facts a planning context is made of: plain frozen records, no database.

The host loads them once per planning run (``domain.salons.facts``); tests build them by
hand. Ids are the natural keys plugins see elsewhere: employee ids and department/metric codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING

from domain.tenure import NEW_HIRE_DAYS

if TYPE_CHECKING:
    from domain.labels import Labels


@dataclass(frozen=True)
class DepartmentFacts:
    code: str
    name: str


@dataclass(frozen=True)
class MetricFacts:
    code: str
    name: str
    unit: str
    direction: str  # "higher" or "lower" is better
    skill: str | None = None
    aggregation: str = "mean"  # "mean", "sum" or "ratio": a sum grows with the department

    @property
    def is_sum(self) -> bool:
        """A department's sum says as much about its size as its work: compare it per head."""
        return self.aggregation == "sum"

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"


@dataclass(frozen=True)
class EmployeeFacts:
    employee_id: str
    name: str
    department_code: str
    hire_date: date
    tenure_days: int  # at the end of the data period
    team: str | None = None
    review_score: float | None = None  # the latest appraisal score

    @property
    def new_hire(self) -> bool:
        """Glossary: a new hire has been with us less than ``NEW_HIRE_DAYS`` at the period's end."""
        return self.tenure_days < NEW_HIRE_DAYS


@dataclass(frozen=True)
class GapFacts:
    """A row of the gap engine's results (``Gap``) for one department and metric."""

    department_code: str
    metric_code: str
    period: str
    actual: float
    target: float | None
    previous: float | None
    change: float | None
    attainment: float | None
    below_target: bool
    worsening: bool
    severity: float
    contributors: int


OVER_REPRESENTED = 1.25
"""A segment is a finding when it carries at least 1.25 × its share of the people: shown shares
are rounded to 5 points, so an even split can read as up to ~1.1 without meaning anything."""


@dataclass(frozen=True)
class DriverFacts:
    """A segment's share of a gap (dimension tenure / team / employee) and its size."""

    department_code: str
    metric_code: str
    dimension: str
    segment: str
    share: float
    people: int
    people_share: float | None = None  # the segment's share of the department's people
    over_representation: float | None = None  # share ÷ people_share; a finding above OVER_REPRESENTED

    @property
    def finding(self) -> bool:
        """Over-represented: more of the gap than of the people, beyond rounding."""
        return self.over_representation is not None and self.over_representation >= OVER_REPRESENTED


@dataclass(frozen=True)
class GrowthNeedFacts:
    department_code: str
    period: str
    skill: str
    share: float
    wishers: int
    headcount: int
    metric_code: str | None
    metric_average: float | None


@dataclass(frozen=True)
class ThemeFacts:
    """How often a feedback theme came up about a metric (``None``: about no metric)."""

    department_code: str
    metric_code: str | None
    theme: str
    count: int


@dataclass(frozen=True)
class ValueFacts:
    """One value in a series: a department's (``employee_id`` None) or an employee's month."""

    department_code: str
    metric_code: str
    period: str
    value: float
    employee_id: str | None = None
    target: float | None = None


@dataclass(frozen=True)
class Facts:
    """Everything loaded for one planning run (all departments), indexed for lookups."""

    month: str  # the month being planned, YYYY-MM
    period: str  # the data it is planned from: the latest complete quarter before ``month``
    departments: Mapping[str, DepartmentFacts]
    metrics: Mapping[str, MetricFacts]
    employees: Mapping[str, EmployeeFacts]  # by employee id, every department
    gaps: tuple[GapFacts, ...] = ()
    drivers: tuple[DriverFacts, ...] = ()
    themes: tuple[ThemeFacts, ...] = ()
    growth_needs: tuple[GrowthNeedFacts, ...] = ()
    top_performers: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    wishes: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # (dept, skill)
    series: tuple[ValueFacts, ...] = ()  # monthly values, last 12 months up to the period's end
    # display names of metrics, skills, tags and departments per locale (``domain.labels``);
    # None: the names above, and codes made readable
    labels: Labels | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        for name in ("departments", "metrics", "employees", "top_performers", "wishes"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
