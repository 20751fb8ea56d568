"""Small hand-made organisations for the formats and the policy: no database involved."""

from __future__ import annotations

from datetime import date

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
from plugins.topics import GROWTH, SHORTFALL, Topic

PERIOD = "2026-Q3"


def employee(
    code: str, department: str, tenure_days: int, score: float | None, team: str = "A"
) -> EmployeeFacts:
    return EmployeeFacts(code, f"name {code}", department, date(2020, 1, 1), tenure_days, team, score)


def gap(
    department: str,
    metric: str,
    actual: float,
    target: float | None,
    change: float | None,
    severity: float,
    **kw,
) -> GapFacts:
    attainment = kw.pop(
        "attainment",
        None if target is None else target / actual if kw.pop("lower", False) else actual / target,
    )
    return GapFacts(
        department, metric, PERIOD, actual, target, kw.pop("previous", None), change, attainment,
        below_target=kw.pop("below_target", attainment is not None and attainment < 1),
        worsening=kw.pop("worsening", change is not None and change < 0),
        severity=severity, contributors=kw.pop("contributors", 10),
    )  # fmt: skip


def make_facts(**overrides) -> Facts:
    """Two departments: OPS (10 people, 4 new) lagging on ``score``, and ACE leading on it."""
    ops = [
        employee(f"O{i:02d}", "OPS", 60 if i < 4 else 900, 50 + 5 * i, team="A" if i % 2 else "B")
        for i in range(10)
    ]
    ace = [employee(f"A{i:02d}", "ACE", 900, 80 + i) for i in range(5)]
    values = dict(
        month="2026-10",
        period=PERIOD,
        departments={"OPS": DepartmentFacts("OPS", "Operations"), "ACE": DepartmentFacts("ACE", "Aces")},
        metrics={
            "score": MetricFacts("score", "Quality score", "", "higher", "craft"),
            "late": MetricFacts("late", "Late deliveries", "%", "lower", None),
        },
        employees={e.employee_id: e for e in ops + ace},
        gaps=(
            gap("OPS", "score", 60.0, 80.0, -0.15, 40.0, previous=70.6),
            gap("ACE", "score", 82.0, 80.0, 0.02, 0.0),
        ),
        drivers=(
            DriverFacts("OPS", "score", "tenure", "new_hire", 0.7, 4, 0.4, 0.7 / 0.4),
            DriverFacts("OPS", "score", "tenure", "experienced", 0.3, 6, 0.6, 0.3 / 0.6),
        ),
        themes=(ThemeFacts("OPS", "score", "onboarding", 3),),
        growth_needs=(GrowthNeedFacts("OPS", PERIOD, "craft", 0.3, 3, 10, "score", 60.0),),
        top_performers={("OPS", "score"): ("O09",), ("ACE", "score"): ("A04", "A03")},
        wishes={("OPS", "craft"): ("O01", "O02", "O09")},
        series=tuple(
            [ValueFacts("OPS", "score", f"2026-{m:02d}", 60.0 + m, target=80.0) for m in range(1, 10)]
            + [
                ValueFacts("OPS", "score", "2026-09", 50.0 + i, employee_id=e.employee_id)
                for i, e in enumerate(ops)
            ]
        ),
    )
    values.update(overrides)
    return Facts(**values)


def shortfall(facts: Facts, department: str = "OPS", metric: str = "score") -> Topic:
    found = next(g for g in facts.gaps if g.department_code == department and g.metric_code == metric)
    return Topic(
        SHORTFALL, department, metric, facts.metrics[metric].skill, found.severity, PERIOD, gap=found
    )


def growth(facts: Facts, department: str = "OPS") -> Topic:
    need = next(n for n in facts.growth_needs if n.department_code == department)
    return Topic(GROWTH, department, need.metric_code, need.skill, 45.0, PERIOD, growth_need=need)
