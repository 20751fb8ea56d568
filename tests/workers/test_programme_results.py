"""Programme metrics stored per period: read from the tables, rebuilt by the job a contribution,
an attendance or a rating sends, incrementally what a full rebuild gives.

The company is ``tests.api.org``'s (five people hired in 2020; three department gaps in 2026-10
on a lower-is-better metric with target 0.03: PROD 0.05 and PROD-A 0.04 below it, CS 0.02 met;
each of the five has a training record of 2026-03-01).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from domain.db import session_scope
from domain.growth.contributions import record_attendance_contributions, record_contribution
from domain.growth.points import Scorer
from domain.growth.policy import PointsPolicy
from domain.growth.ratings import rate_salon
from domain.jobs import PROGRAMME_METRICS, create_job
from domain.models import ImprovementPlan, JobStatus, Metric, PlanProgress, ProgrammeMetrics
from domain.vocabulary import ContributionKind as K
from tests.api import org
from tests.support.growth import make_salon
from tests.support.jobs import wait_for_job
from tests.workers.results import snapshot
from workers.rebuild import rebuild_programme_metrics
from workers.relay import send_now

SCORER = Scorer(PointsPolicy())


@pytest.fixture
def people(engine):
    return org.build(engine)


def stored(engine, period: str) -> ProgrammeMetrics | None:
    with Session(engine) as session:
        return session.get(ProgrammeMetrics, period)


def hold_october(engine) -> int:
    """PROD's October salon: P1 presents, P2 and A1 take part (3 invited); P1 and P2 came."""
    salon = make_salon(
        engine,
        month="2026-10",
        department="PROD",
        presenters=("P1",),
        participants=("P2", "A1"),
        attendees=("P1", "P2"),
    )
    with session_scope(engine) as session:
        record_attendance_contributions(session, salon, SCORER)
    return salon


def test_a_full_rebuild_stores_every_period_with_data(engine, people):
    rebuild_programme_metrics(engine, None)

    october = stored(engine, "2026-10")
    assert (october.attainment_rate, october.attainment_results) == (pytest.approx(1 / 3), 3)
    assert (october.growth_archive_update_rate, october.active_employees) == (0.0, 5)
    march = stored(engine, "2026-03")
    assert (march.growth_archive_update_rate, march.updated_employees) == (1.0, 5)
    assert stored(engine, "2026").growth_archive_update_rate == 1.0
    assert stored(engine, "2026-H2").attainment_rate is None  # no quarter results in the table
    assert stored(engine, "2026-02") is None  # nothing happened in February


def test_a_salon_its_attendance_and_its_ratings_move_the_months_numbers(engine, people):
    salon = hold_october(engine)
    with session_scope(engine) as session:
        record_contribution(session, salon_id=salon, employee_id="P1", kind=K.SHARER, scorer=SCORER)

    summary = rebuild_programme_metrics(engine, ["2026-10"])

    assert summary == {"programme_periods": 4, "periods": ["2026-10"]}  # the month, Q4, H2, the year
    october = stored(engine, "2026-10")
    assert (october.salons_held, october.attendees, october.invited) == (1, 2, 3)
    assert october.participation_rate == pytest.approx(2 / 3)
    assert (october.updated_employees, october.growth_archive_update_rate) == (2, pytest.approx(2 / 5))
    assert (october.satisfaction, october.ratings) == (None, 0)
    assert stored(engine, "2026-H2").participation_rate == pytest.approx(2 / 3)


def test_satisfaction_shows_from_five_ratings_and_never_one_persons_score(engine, people):
    salon = make_salon(
        engine, month="2026-10", department="PROD", participants=("P1", "P2", "A1", "H1", "C1"),
        attendees=("P1", "P2", "A1", "H1", "C1"),
    )  # fmt: skip
    scores = {"P1": 5, "P2": 4, "A1": 4, "H1": 3, "C1": 5}
    for code, score in list(scores.items())[:4]:
        with session_scope(engine) as session:
            rate_salon(session, salon, people[code], score)
    rebuild_programme_metrics(engine, ["2026-10"])
    four = stored(engine, "2026-10")

    with session_scope(engine) as session:
        rate_salon(session, salon, people["C1"], scores["C1"])
    rebuild_programme_metrics(engine, ["2026-10"])
    five = stored(engine, "2026-10")

    assert (four.satisfaction, four.ratings) == (None, 4)
    assert (five.satisfaction, five.ratings) == (85.0, 5)  # 4.2 × 20 = 84, to the nearest 5


def test_the_job_rebuilds_the_periods_of_a_change_and_an_incremental_rebuild_equals_a_full_one(
    engine, people, running_worker
):
    rebuild_programme_metrics(engine, None)
    salon = hold_october(engine)
    with session_scope(engine) as session:
        job = create_job(session, PROGRAMME_METRICS, {"periods": ["2026-10"]})
    send_now(engine, job.id)

    done = wait_for_job(engine, job.id)
    incremental = snapshot(engine)["programmemetrics"]
    rebuild_programme_metrics(engine, None)

    assert done.status == JobStatus.SUCCEEDED, done.error
    assert done.result["programme_periods"] == 4
    assert stored(engine, "2026-10").salons_held == 1 and salon
    assert snapshot(engine)["programmemetrics"] == incremental


def test_the_job_refuses_periods_that_are_not_months_without_retrying(engine, people, running_worker):
    with session_scope(engine) as session:
        job = create_job(session, PROGRAMME_METRICS, {"periods": ["2026-H2"]})
    send_now(engine, job.id)

    done = wait_for_job(engine, job.id)

    assert done.status == JobStatus.FAILED and done.attempts == 1
    assert "2026-H2" in done.error


def test_rebuilding_months_without_data_writes_no_row_a_full_rebuild_would_not(engine, people):
    rebuild_programme_metrics(engine, None)
    full = snapshot(engine)["programmemetrics"]

    rebuild_programme_metrics(engine, ["2026-02", "2026-12"])  # nothing happened in either

    assert stored(engine, "2026-02") is None and stored(engine, "2026-12") is None
    assert snapshot(engine)["programmemetrics"] == full


def test_a_full_rebuild_drops_periods_whose_data_is_gone(engine, people):
    rebuild_programme_metrics(engine, None)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM growthrecord"))

    rebuild_programme_metrics(engine, None)

    assert stored(engine, "2026-03") is None
    assert stored(engine, "2026-10") is not None  # its gaps are still there


def test_plans_on_track_come_from_the_stored_plans_and_their_progress(engine, people):
    """Plan 1 (PROD, from 2026-10 to 2027-03): on track in October, not in November. Plan 2,
    ACHIEVED in October: counted in October only. Plan 3 was cancelled: never counted."""

    def plan(session, status="ACTIVE", status_period=None):
        metric = session.exec(select(Metric.id)).first()
        row = ImprovementPlan(
            department_id=people["PROD"], metric_id=metric, owner_id=people["P1"], baseline=0.05,
            baseline_period="2026-08", goal_change=-0.2, goal_value=0.04, deadline="2027-03",
            status=status, status_period=status_period, created_by="hr-admin",
            created_at=datetime(2026, 9, 15, tzinfo=UTC),
        )  # fmt: skip
        session.add(row)
        session.flush()
        return row.id

    with session_scope(engine) as session:
        first, achieved, cancelled = (
            plan(session),
            plan(session, "ACHIEVED", "2026-10"),
            plan(session, "CANCELLED"),
        )
        points = [(first, "2026-10", True), (first, "2026-11", False), (achieved, "2026-10", True)]
        points += [(cancelled, "2026-10", False), (cancelled, "2026-11", False)]
        session.add_all(
            PlanProgress(
                plan_id=p, period=m, actual=0.05, change_from_baseline=0.0, remaining_to_goal=0.2, on_track=t
            )
            for p, m, t in points
        )

    rebuild_programme_metrics(engine, ["2026-10", "2026-11"])

    october, november, quarter = (stored(engine, period) for period in ("2026-10", "2026-11", "2026-Q4"))
    assert (october.plans_on_track, october.plans_measured) == (1.0, 2)
    assert (november.plans_on_track, november.plans_measured) == (0.0, 1)
    assert (quarter.plans_on_track, quarter.plans_measured) == (
        0.5,
        2,
    )  # plan 1 in November, plan 2 in October
