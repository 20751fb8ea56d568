"""Which plans new data moved, on tiny frames: a new latest month, a changed latest value, and
the same numbers recomputed are told apart; the progress report job follows a recompute only for
the plans it moved."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal
from sqlalchemy import text
from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.jobs import REPORT_PROGRESS
from domain.models import Job, Metric, Observation
from tests.domain.plans.cases import seed_cases
from workers.analytics.plan_moves import latest, moved
from workers.rebuild import rebuild, rebuild_plans


def points(*rows) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={"plan_id": pl.Int64, "period": pl.String, "actual": pl.Float64}, orient="row"
    )


def test_latest_is_each_plans_last_month():
    found = latest(points((2, "2026-12", 5.0), (1, "2026-11", 1.0), (2, "2026-11", 4.0), (1, "2026-10", 0.5)))

    assert_frame_equal(found, points((1, "2026-11", 1.0), (2, "2026-12", 5.0)))


def test_a_new_month_or_a_new_value_moves_a_plan_and_the_same_numbers_do_not():
    before = points((1, "2026-11", 0.088), (2, "2026-12", 55.0), (3, "2026-12", 230.0), (4, "2026-12", 1.0))
    after = points(
        (1, "2026-12", 0.085),  # a new month
        (2, "2026-12", 56.0),  # the month's value revised
        (3, "2026-12", 230.0 + 1e-12),  # the same mean summed in another order
        (5, "2026-12", 7.0),  # its first point
    )  # 4 lost its points: not news

    assert moved(before, after) == [1, 2, 5]


def test_a_recompute_queues_a_report_for_the_plans_it_moved_only(engine):
    cases = seed_cases(engine)
    rebuild(engine)
    with Session(engine) as session:
        first = session.exec(select(Job.args).where(Job.actor == REPORT_PROGRESS)).all()
    # every plan with a point is new; "waiting" has none yet, "cancelled" is cancelled
    assert first == [{"plan_ids": sorted([cases.plans["pick"], cases.plans["output"], cases.plans["code"]])}]

    rebuild(engine)  # nothing new
    rebuild_plans(engine, [cases.plans["code"]])  # a person changed a plan: not data
    with session_scope(engine) as session:
        metric = session.exec(select(Metric.id).where(Metric.code == "code_efficiency")).one()
        session.add(
            Observation(
                metric_id=metric, department_id=cases.departments["T30"], period="2027-01", value=57.0
            )
        )
    rebuild(engine)

    with Session(engine) as session:
        jobs = session.exec(
            select(Job.args).where(Job.actor == REPORT_PROGRESS).order_by(col(Job.created_at))
        ).all()
    assert jobs[1:] == [{"plan_ids": [cases.plans["code"]]}]
    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT count(*) FROM job WHERE actor = 'report_progress'")).scalar() == 2
        )
