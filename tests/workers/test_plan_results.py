"""The recompute rebuilds improvement plans' progress, effect and status; so does the
``plan_progress`` job. On SQLite and PostgreSQL, on the hand-computed cases of
``tests/domain/plans/cases.py``; incremental equals full, on those cases and on the demo."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text, update
from sqlmodel import Session, col

from domain.db import session_scope
from domain.jobs import PLAN_PROGRESS, create_job
from domain.models import (
    Department,
    DepartmentValue,
    Employee,
    ImprovementPlan,
    JobStatus,
    Metric,
    Observation,
    PlanEffect,
    PlanProgress,
)
from tests.domain.plans.cases import seed_cases
from tests.support.jobs import wait_for_job
from workers.rebuild import rebuild, rebuild_plans
from workers.relay import send_now


def _rounded(value):
    return round(value, 10) if isinstance(value, float) else value


def plan_results(engine: Engine) -> dict[str, object]:
    """Every plan result, comparable between runs (ids of result rows and stamps aside)."""
    with engine.connect() as connection:
        points = connection.execute(
            text(
                "SELECT plan_id, period, actual, change_from_baseline, remaining_to_goal, milestone, on_track"
                " FROM planprogress ORDER BY plan_id, period"
            )
        )
        effects = connection.execute(
            text(
                "SELECT plan_id, baseline, current, current_period, change, comparison_change,"
                " difference_in_differences FROM planeffect ORDER BY plan_id"
            )
        )
        groups = connection.execute(select(PlanEffect.plan_id, PlanEffect.comparison_department_ids))
        statuses = connection.execute(
            text("SELECT id, status, status_period FROM improvementplan ORDER BY id")
        )
        return {
            "progress": [tuple(_rounded(v) for v in row) for row in points],
            "effects": [tuple(_rounded(v) for v in row) for row in effects],
            "groups": sorted((plan_id, tuple(ids)) for plan_id, ids in groups),
            "statuses": [tuple(row) for row in statuses],
        }


def _set(engine: Engine, metric: str, department: str, period: str, value: float) -> None:
    """A corrected observation, as a re-import brings it."""
    with engine.begin() as connection:
        connection.execute(
            update(Observation)
            .where(
                col(Observation.metric_id)
                == select(Metric.id).where(Metric.code == metric).scalar_subquery(),
                col(Observation.department_id)
                == select(Department.id).where(Department.code == department).scalar_subquery(),
                col(Observation.period) == period,
            )
            .values(value=value)
        )


def test_a_recompute_writes_each_plans_progress_effect_and_status(engine):
    cases = seed_cases(engine)

    summary = rebuild(engine)

    found = plan_results(engine)
    pick, output, code = cases.plans["pick"], cases.plans["output"], cases.plans["code"]
    assert [row for row in found["progress"] if row[0] == pick] == [
        (pick, "2026-10", 0.096, -0.04, 0.26, None, True),
        (pick, "2026-11", 0.088, -0.12, 0.18, 0.09, True),
        (pick, "2026-12", 0.085, -0.15, 0.15, 0.08, False),
        (pick, "2027-01", 0.071, -0.29, 0.01, 0.07, False),
    ]
    # quarterly milestones 220 / 240 / 260 due 2026-12, 2027-03, 2027-06 (no salon: made in 2026-10)
    assert [(row[1], row[4], row[5]) for row in found["progress"] if row[0] == output] == [
        ("2026-10", 0.35, None), ("2026-11", 0.225, None), ("2026-12", 0.18, 220.0), ("2027-01", 0.15, 220.0),
        ("2027-02", 0.11, 220.0), ("2027-03", 0.0, 240.0), ("2027-04", 0.05, 240.0),
    ]  # fmt: skip
    assert [row for row in found["progress"] if row[0] == code] == [
        (code, "2026-12", 55.0, 0.1, 0.1, 54.0, True)
    ]
    statuses = {row[0]: row[1:] for row in found["statuses"]}
    assert statuses == {
        pick: ("MISSED", "2027-01"),
        output: ("ACHIEVED", "2027-03"),
        code: ("ACTIVE", None),
        cases.plans["cancelled"]: ("CANCELLED", None),
        cases.plans["waiting"]: ("ACTIVE", None),
    }
    effects = {row[0]: row[1:] for row in found["effects"]}
    assert effects == {
        pick: (0.1, 0.071, "2027-01", -0.29, 0.07, -0.36),  # W11 +10%, W12 +4%
        output: (200.0, 250.0, "2027-04", 0.25, 0.1, 0.15),  # P21 +10%
        code: (50.0, 55.0, "2026-12", 0.1, None, None),  # nobody else has the metric
    }
    departments = cases.departments
    assert dict(found["groups"]) == {
        pick: (departments["W11"], departments["W12"]),
        output: (departments["P21"],),
        code: (),
    }
    assert (summary["plans"], summary["progress_points"], summary["plan_effects"]) == (5, 12, 3)


def test_a_second_recompute_leaves_the_same_plan_results(engine):
    seed_cases(engine)
    rebuild(engine)
    first = plan_results(engine)

    rebuild(engine)

    assert plan_results(engine) == first


def test_an_incremental_recompute_of_one_month_leaves_what_a_full_one_leaves(engine):
    cases = seed_cases(engine)
    rebuild(engine)
    before = plan_results(engine)
    _set(engine, "pick_error_rate", "W10", "2027-01", 0.069)  # now beyond the goal 0.07

    rebuild(engine, {"metric_codes": ["pick_error_rate"], "periods": ["2027-01"]})
    incremental = plan_results(engine)
    rebuild(engine)

    assert incremental != before
    assert ("MISSED", "2027-01") != (statuses := {r[0]: r[1:] for r in incremental["statuses"]})[
        cases.plans["pick"]
    ]
    assert statuses[cases.plans["pick"]] == ("ACHIEVED", "2027-01")
    assert plan_results(engine) == incremental


def test_a_recompute_of_another_department_moves_the_plans_comparison(engine):
    """The plan's department is outside the scope; its comparison group is not."""
    cases = seed_cases(engine)
    rebuild(engine)
    _set(engine, "pick_error_rate", "W11", "2027-01", 0.24)  # W11 +20%: comparison (20 + 4) / 2 = +12%

    rebuild(engine, {"department_codes": ["W11"], "periods": ["2027-01"]})
    incremental = plan_results(engine)

    effect = {row[0]: row[1:] for row in incremental["effects"]}[cases.plans["pick"]]
    assert effect[4:] == (0.12, -0.41)
    rebuild(engine)
    assert plan_results(engine) == incremental


def test_a_cancelled_plan_keeps_its_status_whatever_the_numbers_say(engine):
    cases = seed_cases(engine)
    with engine.begin() as connection:
        connection.execute(
            update(ImprovementPlan)
            .where(col(ImprovementPlan.id) == cases.plans["output"])
            .values(status="CANCELLED")
        )

    rebuild(engine)

    statuses = {row[0]: row[1:] for row in plan_results(engine)["statuses"]}
    assert statuses[cases.plans["output"]] == ("CANCELLED", None)  # 262 reached its goal in 2027-03
    progress = [row for row in plan_results(engine)["progress"] if row[0] == cases.plans["output"]]
    assert len(progress) == 7  # still measured: the report shows what happened


def test_the_plan_progress_job_rebuilds_a_new_plans_metric_and_moves_the_others_comparison(
    engine, running_worker
):
    cases = seed_cases(engine)
    rebuild(engine)
    with session_scope(engine) as session:  # W12 gets a plan of its own: it leaves the pick plan's comparison
        owner = session.exec(select(Employee)).first()[0]
        made = ImprovementPlan(
            metric_id=cases.metrics["pick_error_rate"], department_id=cases.departments["W12"],
            owner_id=owner.id, baseline=0.05, baseline_period="2026-09", goal_change=-0.2,
            goal_value=0.04, deadline="2027-03", created_by="hr",
            created_at=datetime(2026, 10, 20, tzinfo=UTC),
        )  # fmt: skip
        session.add(made)
        session.flush()
        job = create_job(session, PLAN_PROGRESS, {"plan_ids": [made.id]})
        plan_id = made.id
    send_now(engine, job.id)

    done = wait_for_job(engine, job.id)

    assert done.status == JobStatus.SUCCEEDED, done.error
    assert (done.result["plans"], done.result["plan_ids"]) == (2, [plan_id])  # the pick plan and the new one
    found = plan_results(engine)
    effects = {row[0]: row[1:] for row in found["effects"]}
    assert effects[cases.plans["pick"]][4:] == (0.1, -0.39)  # W11 alone: +10%
    assert effects[plan_id][:4] == (0.05, 0.052, "2027-01", 0.04)
    assert [row[:2] for row in found["progress"] if row[0] == plan_id] == [(plan_id, "2027-01")]


def test_the_plan_progress_job_refuses_ids_that_are_not_integers(engine, running_worker):
    with session_scope(engine) as session:
        job = create_job(session, PLAN_PROGRESS, {"plan_ids": ["1"]})
    send_now(engine, job.id)

    done = wait_for_job(engine, job.id)

    assert done.status == JobStatus.FAILED and "plan_ids" in done.error and done.attempts == 1


def test_rebuilding_plans_that_do_not_exist_changes_nothing(engine):
    seed_cases(engine)
    rebuild(engine)
    before = plan_results(engine)

    assert rebuild_plans(engine, [999_999]) == {
        "plans": 0,
        "progress_points": 0,
        "plan_effects": 0,
        "programme_periods": 0,  # no plan, no month whose plans on track could move
        "plan_ids": [999_999],
    }
    assert plan_results(engine) == before


# --- on the demo company -----------------------------------------------------------------------


@pytest.fixture
def demo(demo_database_url):
    from domain.db import make_engine

    engine = make_engine(demo_database_url)
    rebuild(engine)
    yield engine
    engine.dispose()


def _demo_plans(engine: Engine) -> None:
    """Two plans on defect rate (PROD and another department), baselines from the stored values."""
    with session_scope(engine) as session:
        metric = session.exec(select(Metric).where(Metric.code == "defect_rate")).one()[0]
        values = session.exec(
            select(DepartmentValue)
            .where(DepartmentValue.metric_id == metric.id, DepartmentValue.period == "2026-01")
            .order_by(DepartmentValue.department_id)
        ).all()
        owner = session.exec(select(Employee)).first()[0]
        for (value,) in values[:2]:
            session.add(
                ImprovementPlan(
                    metric_id=metric.id,
                    department_id=value.department_id,
                    owner_id=owner.id,
                    baseline=value.value,
                    baseline_period="2026-01",
                    goal_change=-0.2,
                    goal_value=value.value * 0.8,
                    deadline="2026-Q2",
                    milestone_every="quarter",
                    created_by="hr",
                    created_at=datetime(2026, 2, 3, tzinfo=UTC),
                )  # fmt: skip
            )


def test_on_the_demo_plans_recomputed_incrementally_equal_a_full_rebuild(demo):
    _demo_plans(demo)
    rebuild(demo, {"metric_codes": ["defect_rate"]})
    before = plan_results(demo)
    with demo.begin() as connection:
        connection.execute(
            text(
                "UPDATE observation SET value = value * 0.7, numerator = numerator * 0.7 WHERE period = '2026-05'"
                " AND metric_id = (SELECT id FROM metric WHERE code = 'defect_rate')"
            )
        )

    rebuild(demo, {"metric_codes": None, "department_codes": None, "periods": ["2026-05"]})
    incremental = plan_results(demo)
    rebuild(demo)

    assert len(before["progress"]) > 4 and incremental["progress"] != before["progress"]
    assert plan_results(demo) == incremental
    with Session(demo) as session:
        assert session.exec(select(PlanProgress)).first() is not None
