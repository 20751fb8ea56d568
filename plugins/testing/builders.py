"""Facts for tests, built the way planning builds them: a department, a company, a topic.

A test says what matters — a department's size, its figures on a metric, its feedback, who
wants to grow which skill — and the rest is made up deterministically. The figures go through
the product's own gap engine and top-performer rule (``workers.analytics``), so ``change``,
``attainment``, ``severity`` and the top performers are what planning would see for the same
numbers; topics are ranked by the planner's own ranking.

Employees of department ``OPS`` are ``OPS01``, ``OPS02``, …; the first ``new_hires`` of them
joined 60 days before the period's end, the others 900 days; review scores run from 60 to 95;
teams are dealt in turn. Their values on a metric spread evenly around the department's, best
last (``OPS10`` is the top performer of ten people on a higher-is-better metric).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import polars as pl

from domain.periods import Period
from domain.salons.periods import data_period
from domain.tenure import NEW_HIRE_DAYS
from plugins.context import Context
from plugins.facts import (
    DepartmentFacts,
    DriverFacts,
    EmployeeFacts,
    Facts,
    GapFacts,
    GrowthNeedFacts,
    MetricFacts,
    ThemeFacts,
    ValueFacts,
)
from plugins.i18n import LOCALES
from plugins.settings import PluginSettings
from plugins.topics import GROWTH, SHORTFALL, Topic

MONTH = "2026-10"  # the month planned by default; its data period is 2026-Q3
NEW_HIRE_TENURE, EXPERIENCED_TENURE = 60, 900
assert NEW_HIRE_TENURE < NEW_HIRE_DAYS <= EXPERIENCED_TENURE


def metric(
    code: str, name: str | None = None, *, unit: str = "", direction: str = "higher", skill: str | None = None
) -> MetricFacts:
    """A metric; ``direction`` is ``"higher"`` or ``"lower"`` (is better)."""
    if direction not in ("higher", "lower"):
        raise ValueError(f"direction must be 'higher' or 'lower', got {direction!r}")
    return MetricFacts(code, name or code, unit, direction, skill)


@dataclass(frozen=True)
class DepartmentSpec:
    """What a test says about one department; :func:`company` turns it into facts."""

    code: str
    name: str
    people: int = 10
    new_hires: int = 0
    teams: tuple[str, ...] = ("A", "B")
    values: Mapping[str, Mapping[str, float | None]] = field(default_factory=dict)
    feedback: Mapping[str | None, Mapping[str, int]] = field(default_factory=dict)
    wishes: Mapping[str, int] = field(default_factory=dict)
    drivers: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def employee_ids(self) -> list[str]:
        return [f"{self.code}{i:02d}" for i in range(1, self.people + 1)]


def department(
    code: str,
    name: str | None = None,
    *,
    people: int = 10,
    new_hires: int = 0,
    teams: Sequence[str] = ("A", "B"),
    values: Mapping[str, Mapping[str, float | None]] | None = None,
    feedback: Mapping[str | None, Mapping[str, int]] | None = None,
    wishes: Mapping[str, int] | None = None,
    drivers: Mapping[str, Mapping[str, float]] | None = None,
) -> DepartmentSpec:
    """One department of a :func:`company`.

    :param values: per metric code, ``{"actual": …, "target": …, "previous": …}`` (target and
        previous optional): the department's value in the data period (a quarter), its target,
        and its value in the quarter before.
    :param feedback: per metric code (None: about no metric), how often each theme came up.
    :param wishes: per skill, how many people have an open wish to grow it (the last ones).
    :param drivers: per metric code, each segment's share of the gap: ``"new_hire"`` and
        ``"experienced"`` are tenure segments, anything else a team.
    """
    if people < 1 or not 0 <= new_hires <= people:
        raise ValueError(f"{code}: people must be at least 1 and new_hires between 0 and people")
    for metric_code, figures in (values or {}).items():
        if "actual" not in figures or set(figures) - {"actual", "target", "previous"}:
            raise ValueError(f"{code}: values[{metric_code!r}] takes actual (required), target, previous")
    return DepartmentSpec(
        code, name or code, people, new_hires, tuple(teams), dict(values or {}), dict(feedback or {}),
        dict(wishes or {}), dict(drivers or {}),
    )  # fmt: skip


# ---- the company: the facts planning would load ----------------------------------------------


def _employees(spec: DepartmentSpec, period_end) -> list[EmployeeFacts]:
    found = []
    for index, employee_id in enumerate(spec.employee_ids()):
        tenure = NEW_HIRE_TENURE if index < spec.new_hires else EXPERIENCED_TENURE
        score = 60.0 if spec.people == 1 else round(60 + 35 * index / (spec.people - 1), 2)
        found.append(
            EmployeeFacts(
                employee_id,
                f"{spec.name} {index + 1}",
                spec.code,
                period_end - timedelta(days=tenure),
                tenure,
                spec.teams[index % len(spec.teams)],
                score,
            )  # fmt: skip
        )
    return found


def _spread(actual: float, people: int, higher: bool) -> list[float]:
    """People's values with the department's mean, evenly spread, the best last."""
    step = max(abs(actual) * 0.02, 0.01)
    offsets = [(i - (people - 1) / 2) * step for i in range(people)]
    return [round(actual + (o if higher else -o), 6) for o in offsets]


def _engine_results(
    specs: Sequence[DepartmentSpec], metrics: Mapping[str, MetricFacts], period: Period
) -> tuple[list[GapFacts], dict[tuple[str, str], tuple[str, ...]], list[ValueFacts]]:
    """Gaps and top performers from the product's own rules, and the monthly series."""
    from workers.analytics.gaps import gaps as gap_engine
    from workers.analytics.performers import top_performers

    metric_ids = {code: i for i, code in enumerate(metrics, start=1)}
    kinds = pl.DataFrame(
        {
            "metric_id": list(metric_ids.values()),
            "direction": [metrics[c].direction for c in metric_ids],
            "aggregation": ["mean"] * len(metric_ids),
        }
    )
    months, previous_months = [str(m) for m in period.months()], [str(m) for m in period.previous().months()]
    values, targets, observations, series = [], [], [], []
    employee_ids = {e: i for i, e in enumerate((e for s in specs for e in s.employee_ids()), start=1)}
    for department_id, spec in enumerate(specs, start=1):
        for code, figures in spec.values.items():
            higher = metrics[code].higher_is_better
            target = figures.get("target")
            for months_of, value in ((previous_months, figures.get("previous")), (months, figures["actual"])):
                for month in months_of if value is not None else ():
                    values.append((metric_ids[code], department_id, month, float(value), spec.people))
                    series.append(ValueFacts(spec.code, code, month, float(value), target=target))
            if target is not None:
                targets.append((metric_ids[code], department_id, str(period), float(target)))
            for month in months:
                for employee_id, value in zip(
                    spec.employee_ids(), _spread(figures["actual"], spec.people, higher), strict=True
                ):
                    observations.append(
                        (metric_ids[code], department_id, employee_ids[employee_id], month, value)
                    )
                    series.append(ValueFacts(spec.code, code, month, value, employee_id=employee_id))
    values_frame = pl.DataFrame(
        values, schema=["metric_id", "department_id", "period", "value", "contributors"], orient="row"
    ).with_columns(numerator=pl.lit(None, pl.Float64), denominator=pl.lit(None, pl.Float64))
    targets_frame = pl.DataFrame(
        targets, schema={"metric_id": pl.Int64, "department_id": pl.Int64, "period": pl.String, "target": pl.Float64},
        orient="row",
    )  # fmt: skip
    codes = {i: code for code, i in metric_ids.items()}
    departments = {i: spec.code for i, spec in enumerate(specs, start=1)}
    gaps = []
    if values:
        found = gap_engine(values_frame, kinds, targets_frame).filter(pl.col("period") == str(period))
        for row in found.sort("department_id", "metric_id").iter_rows(named=True):
            gaps.append(
                GapFacts(
                    departments[row["department_id"]],
                    codes[row["metric_id"]],
                    str(period),
                    row["actual"],
                    row["target"],
                    row["previous"],
                    row["change"],
                    row["attainment"],
                    row["below_target"],
                    row["worsening"],
                    row["severity"],
                    row["contributors"],
                )  # fmt: skip
            )
    top: dict[tuple[str, str], tuple[str, ...]] = {}
    if observations:
        frame = pl.DataFrame(
            observations,
            schema=["metric_id", "department_id", "employee_id", "period", "value"],
            orient="row",
        ).with_columns(numerator=pl.lit(None, pl.Float64), denominator=pl.lit(None, pl.Float64))
        people = {i: e for e, i in employee_ids.items()}
        ranked = top_performers(frame, kinds).filter(pl.col("period") == str(period)).sort("rank")
        for row in ranked.iter_rows(named=True):
            key = (departments[row["department_id"]], codes[row["metric_id"]])
            top[key] = (*top.get(key, ()), people[row["employee_id"]])
    return gaps, top, series


def company(*departments: DepartmentSpec, metrics: Sequence[MetricFacts] = (), month: str = MONTH) -> Facts:
    """The facts planning would load for ``month`` about these departments.

    Metrics named in the departments' values but not given are made with :func:`metric`'s
    defaults (higher is better). The data period is the latest complete quarter before
    ``month`` (``Facts.period``); series cover it and the quarter before."""
    if not departments:
        raise ValueError("a company needs at least one department")
    if len({d.code for d in departments}) != len(departments):
        raise ValueError("department codes must be unique")
    target = Period.parse(month)
    before = [target.previous()]
    for _ in range(11):
        before.append(before[-1].previous())
    period = data_period(target, [str(m) for m in before])
    known = {m.code: m for m in metrics}
    for spec in departments:
        for code in [*spec.values, *(c for c in spec.feedback if c)]:
            known.setdefault(code, metric(code))
    staff = [e for spec in departments for e in _employees(spec, period.end())]
    gaps, top, series = _engine_results(departments, known, period)
    themes, needs, wishes, drivers = [], [], {}, []
    for spec in departments:
        for metric_code, counts in spec.feedback.items():
            themes += [ThemeFacts(spec.code, metric_code, theme, count) for theme, count in counts.items()]
        actual = {code: figures["actual"] for code, figures in spec.values.items()}
        for skill, count in spec.wishes.items():
            linked = next((m.code for m in known.values() if m.skill == skill), None)
            wishers = tuple(spec.employee_ids()[spec.people - count :]) if count else ()
            wishes[(spec.code, skill)] = wishers
            needs.append(
                GrowthNeedFacts(
                    spec.code,
                    str(period),
                    skill,
                    round(count / spec.people, 4),
                    count,
                    spec.people,
                    linked,
                    actual.get(linked) if linked else None,
                )  # fmt: skip
            )
        members = [e for e in staff if e.department_code == spec.code]
        for metric_code, shares in spec.drivers.items():
            for segment, share in shares.items():
                tenure = segment in ("new_hire", "experienced")
                people = sum(
                    1
                    for e in members
                    if (e.new_hire == (segment == "new_hire") if tenure else e.team == segment)
                )
                part = people / len(members) if members else None
                drivers.append(
                    DriverFacts(
                        spec.code,
                        metric_code,
                        "tenure" if tenure else "team",
                        segment,
                        share,
                        people,
                        part,
                        share / part if part else None,
                    )
                )
    return Facts(
        month=str(target),
        period=str(period),
        departments={s.code: DepartmentFacts(s.code, s.name) for s in departments},
        metrics=known,
        employees={e.employee_id: e for e in staff},
        gaps=tuple(gaps),
        drivers=tuple(drivers),
        themes=tuple(themes),
        growth_needs=tuple(needs),
        top_performers=top,
        wishes=wishes,
        series=tuple(
            sorted(series, key=lambda v: (v.department_code, v.metric_code, v.period, v.employee_id or ""))
        ),
    )


def sample_company() -> Facts:
    """Two departments planned for 2026-10 from 2026-Q3, enough for every built-in format.

    - ``OPS`` ("Operations", 10 people, 4 new hires, teams A and B): ``score`` ("Quality score",
      higher is better, skill ``craft``) at 60 against a target of 80, down from 70 — a
      shortfall, new hires carrying 70% of it, "onboarding" mentioned 3 times; ``late`` ("Late
      deliveries", %, lower is better) at 0.12 against 0.10, up from 0.11; 3 people wish to grow
      ``craft``.
    - ``ACE`` ("Aces", 5 people): ``score`` at 84 against 80 (the clear leader), ``late`` at 0.08.
    """
    return company(
        department(
            "OPS", "Operations", people=10, new_hires=4,
            values={
                "score": {"actual": 60.0, "target": 80.0, "previous": 70.0},
                "late": {"actual": 0.12, "target": 0.10, "previous": 0.11},
            },
            feedback={"score": {"onboarding": 3}},
            wishes={"craft": 3},
            drivers={"score": {"new_hire": 0.7, "experienced": 0.3}},
        ),
        department(
            "ACE", "Aces", people=5,
            values={
                "score": {"actual": 84.0, "target": 80.0, "previous": 82.0},
                "late": {"actual": 0.08, "target": 0.10, "previous": 0.08},
            },
        ),
        metrics=[
            metric("score", "Quality score", skill="craft"),
            metric("late", "Late deliveries", unit="%", direction="lower"),
        ],
    )  # fmt: skip


# ---- a topic and a context --------------------------------------------------------------------


def topic(facts: Facts, department: str, *, metric: str | None = None, skill: str | None = None) -> Topic:
    """The department's topic about ``metric`` (a shortfall) or ``skill`` (a growth need), as the
    planner ranks it; a ``LookupError`` lists the topics there are."""
    from domain.salons.planner import department_topics

    topics = department_topics(facts, department)
    kind = GROWTH if skill is not None else SHORTFALL
    for found in topics:
        if found.kind == kind and (found.skill == skill if kind == GROWTH else found.metric_code == metric):
            return found
    shown = ", ".join(t.key for t in topics) or "none (no gap below target or worsening, no wish)"
    wanted = f"skill {skill!r}" if skill is not None else f"metric {metric!r}"
    raise LookupError(f"{department} has no topic about {wanted}; its topics: {shown}")


def context(
    facts: Facts, department: str, locale: str = "en", settings: Mapping[str, Any] | None = None
) -> Context:
    """The read-only context a format sees for ``department`` in ``locale``, with the given
    setting values as ``context.settings``."""
    if department not in facts.departments:
        raise LookupError(f"no department {department!r}; there are {sorted(facts.departments)}")
    if locale not in LOCALES:
        raise ValueError(f"locale must be one of {LOCALES}, got {locale!r}")
    return Context(facts, department, locale, PluginSettings(settings or {}))
