"""The hand-computed plan cases as a database: departments, metrics, observations, plans.

The numbers are those of ``tests/workers/test_progress.py`` (worked out there):

- plan "pick" — pick error rate (LOWER is better) of W10, baseline 0.10 in 2026-09, goal −30%
  (0.07) by 2027-01, monthly milestones from 2026-11 (its salon was in 2026-10): 2026-11 down
  12%, 18% short, on track; MISSED at 2027-01 (down 29%); W11 (+10%) and W12 (+4%) have no plan:
  comparison +7%, DiD −36 points;
- plan "output" — output (HIGHER is better) of P20, no salon, made in 2026-10: baseline 200,
  goal +30% (260) by 2027-Q2, quarterly milestones; ACHIEVED in 2027-03 (262, up 31%); latest
  2027-04 at 250 (+25%); P21 100 → 110 (+10%): DiD +15 points;
- plan "code" — code efficiency (HIGHER) of T30, the only department with the metric: baseline
  50 in 2026-09, goal +20% by 2027-03, monthly from 2026-11 (milestones 52, 54, 56, 58, 60);
  2026-12 at 55: up 10%, 10% short, on track; ACTIVE; no comparison group;
- plan "cancelled" — code efficiency of T31, CANCELLED ("reorganised"), no data;
- plan "waiting" — output of P22, baseline 80 in 2027-04: no data after it yet.

Names come in Chinese or English (``names``), as an organisation imports them; the feedback
themes are named by imported labels (``THEMES``) in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from domain.db import session_scope
from domain.models import (
    Department,
    Employee,
    Feedback,
    ImprovementPlan,
    Label,
    Metric,
    Observation,
    Salon,
    Target,
)

THEMES = {  # the themes' labels, as the labels import kind brings them: code -> (zh-CN, en)
    "delivery": ("交付", "delivery"),
    "logistics_planning": ("物流规划", "logistics planning"),
    "training": ("培训", "training"),
}
NAMES = {
    "zh-CN": {
        "pick_error_rate": "拣货差错率", "output": "产量", "code_efficiency": "代码效率",
        "W10": "仓储一部", "W11": "仓储二部", "W12": "仓储三部", "P20": "生产一部", "P21": "生产二部",
        "P22": "生产三部", "T30": "技术一部", "T31": "技术二部",
    },
    "en": {
        "pick_error_rate": "pick error rate", "output": "output", "code_efficiency": "code efficiency",
        "W10": "Warehouse 1", "W11": "Warehouse 2", "W12": "Warehouse 3", "P20": "Plant 1", "P21": "Plant 2",
        "P22": "Plant 3", "T30": "Tech 1", "T31": "Tech 2",
    },
}  # fmt: skip
METRICS = {"pick_error_rate": "lower", "output": "higher", "code_efficiency": "higher"}
UNITS = {"zh-CN": {"output": "件"}, "en": {"output": "units"}}
VALUES = {  # (metric, department) -> {month: value}
    ("pick_error_rate", "W10"): {
        "2026-08": 0.11, "2026-09": 0.10, "2026-10": 0.096, "2026-11": 0.088, "2026-12": 0.085, "2027-01": 0.071,
    },
    ("pick_error_rate", "W11"): {"2026-09": 0.20, "2027-01": 0.22},
    ("pick_error_rate", "W12"): {"2026-09": 0.05, "2027-01": 0.052},
    ("output", "P20"): {
        "2026-09": 200.0, "2026-10": 190.0, "2026-11": 215.0, "2026-12": 224.0, "2027-01": 230.0,
        "2027-02": 238.0, "2027-03": 262.0, "2027-04": 250.0,
    },
    ("output", "P21"): {"2026-09": 100.0, "2027-04": 110.0},
    ("code_efficiency", "T30"): {"2026-09": 50.0, "2026-12": 55.0},
}  # fmt: skip
TARGETS = {("pick_error_rate", "W10", "2026-11"): 0.08, ("pick_error_rate", "W10", "2026-12"): 0.08}
FEEDBACK = [  # W10 in 2026-11: delivery 2 of 4 mentions (50%), logistics_planning 1, training 1
    ("W10", "2026-11", "pick_error_rate", "发货延迟", ["delivery", "logistics_planning"]),
    ("W10", "2026-11", "pick_error_rate", "发货又延迟了", ["delivery"]),
    ("W10", "2026-11", None, "培训不够", ["training"]),
]
OCTOBER = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Cases:
    plans: dict[str, int]  # case name -> plan id
    departments: dict[str, int]  # code -> id
    metrics: dict[str, int]  # code -> id


def seed_cases(engine: Engine, locale: str = "zh-CN") -> Cases:
    """The cases above, unrecomputed: run ``workers.rebuild.rebuild`` for values and results."""
    names = NAMES[locale]
    with session_scope(engine) as session:
        departments = {code: Department(code=code, name=names[code]) for code in names if code[0].isupper()}
        metrics = {
            code: Metric(
                code=code,
                name=names[code],
                direction=direction,
                aggregation="mean",
                unit=UNITS[locale].get(code, ""),
            )
            for code, direction in METRICS.items()
        }
        session.add_all([*departments.values(), *metrics.values()])
        session.add_all(
            Label(kind="tag", code=code, locale=where, name=name)
            for code, names_by_locale in THEMES.items()
            for where, name in zip(("zh-CN", "en"), names_by_locale, strict=True)
        )
        session.flush()
        owner = Employee(
            employee_id="E1", name="Owner", department_id=departments["W10"].id, hire_date=date(2024, 1, 1)
        )
        salon = Salon(
            month="2026-10", department_id=departments["W10"].id, status="HELD",
            format_key="data_review_workshop", fit=1.0, data_period="2026-09",
        )  # fmt: skip
        session.add_all([owner, salon])
        session.flush()
        session.add_all(
            Observation(metric_id=metrics[m].id, department_id=departments[d].id, period=p, value=v)
            for (m, d), months in VALUES.items()
            for p, v in months.items()
        )
        session.add_all(
            Target(metric_id=metrics[m].id, department_id=departments[d].id, period=p, target=t)
            for (m, d, p), t in TARGETS.items()
        )
        session.add_all(
            Feedback(
                fingerprint=f"case-{n}",
                department_id=departments[d].id,
                period=p,
                metric_id=metrics[m].id if m else None,
                text=text,
                themes=themes,
            )  # fmt: skip
            for n, (d, p, m, text, themes) in enumerate(FEEDBACK)
        )

        def plan(
            metric, department, baseline, baseline_period, goal_change, deadline, **more
        ) -> ImprovementPlan:
            made = ImprovementPlan(
                metric_id=metrics[metric].id, department_id=departments[department].id, owner_id=owner.id,
                baseline=baseline, baseline_period=baseline_period, goal_change=goal_change,
                goal_value=baseline * (1 + goal_change), deadline=deadline, created_by="hr",
                created_at=more.pop("created_at", OCTOBER), **more,
            )  # fmt: skip
            session.add(made)
            return made

        plans = {
            "pick": plan("pick_error_rate", "W10", 0.10, "2026-09", -0.30, "2027-01", salon_id=salon.id),
            "output": plan("output", "P20", 200.0, "2026-09", 0.30, "2027-Q2", milestone_every="quarter"),
            "code": plan("code_efficiency", "T30", 50.0, "2026-09", 0.20, "2027-03"),
            "cancelled": plan(
                "code_efficiency",
                "T31",
                40.0,
                "2026-09",
                0.10,
                "2027-03",
                status="CANCELLED",
                cancel_reason="reorganised",
            ),  # fmt: skip
            "waiting": plan(
                "output", "P22", 80.0, "2027-04", 0.10, "2027-09", created_at=datetime(2027, 5, 2, tzinfo=UTC)
            ),
        }
        session.flush()
        return Cases(
            plans={name: made.id for name, made in plans.items()},
            departments={code: d.id for code, d in departments.items()},
            metrics={code: m.id for code, m in metrics.items()},
        )
