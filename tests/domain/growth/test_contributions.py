"""Contributions: who gets which, their points (policy, plugin) and the records they leave.

The organisation is ``tests.api.org``'s: H1 (HQ), P1 and P2 (PROD; P1 manages P2), A1 (PROD-A,
below PROD), C1 (CS). The salons are PROD's unless said otherwise.
"""

from __future__ import annotations

import types
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.growth.contributions import record_attendance_contributions, record_contribution
from domain.growth.points import Scorer
from domain.growth.policy import PointsPolicy, parse_policy
from domain.importing.service import run_import
from domain.importing.templates import ImportKind
from domain.jobs import PROGRAMME_METRICS
from domain.models import GrowthRecord, Job, SalonAttendee, SalonStatus
from domain.vocabulary import ContributionKind as K
from plugins import hookimpl
from plugins.registry import PluginError, get_plugin_manager
from plugins.settings import Setting
from tests.api import org
from tests.support.growth import make_salon

POLICY = Scorer(PointsPolicy())


@pytest.fixture
def people(engine):
    return org.build(engine)


def record(engine, salon_id, employee_id, kind, scorer=POLICY, **options):
    with session_scope(engine) as session:
        done = record_contribution(
            session, salon_id=salon_id, employee_id=employee_id, kind=kind, scorer=scorer, **options
        )
        return done.record.id, done.job.id


def contributions(engine, employee_id: int | None = None) -> list[tuple]:
    with Session(engine) as session:
        statement = select(GrowthRecord).where(col(GrowthRecord.contribution).is_not(None))
        if employee_id is not None:
            statement = statement.where(GrowthRecord.employee_id == employee_id)
        rows = session.exec(statement.order_by(col(GrowthRecord.employee_id), col(GrowthRecord.contribution)))
        return [(r.employee_id, r.contribution, r.points, r.date, r.salon_id, r.kind) for r in rows]


def test_a_contribution_is_a_growth_record_dated_at_the_salon_with_the_policys_points(engine, people):
    at = datetime(2026, 10, 14, 6, 0, tzinfo=UTC)
    salon = make_salon(
        engine, month="2026-10", department="PROD", presenters=("P1",), attendees=("P2",), scheduled_at=at
    )

    _, job_id = record(engine, salon, "P1", K.PROBLEM_SOLVER, note="fixed the feeder jam")

    assert contributions(engine) == [
        (people["P1"], "problem_solver", 3.0, date(2026, 10, 14), salon, "salon_contribution")
    ]
    with Session(engine) as session:
        job = session.get(Job, job_id)
    assert (job.actor, job.args) == (PROGRAMME_METRICS, {"periods": ["2026-10"]})


def test_a_salon_held_without_a_schedule_dates_its_contributions_in_its_month(engine, people):
    salon = make_salon(engine, month="2026-11", department="PROD", attendees=("P2",))

    record(engine, salon, "P2", K.SHARER)

    assert contributions(engine)[0][3] == date(2026, 11, 1)


def test_a_salon_evening_in_china_is_dated_by_its_utc_day(engine, people):
    """23:30 in Shanghai on 30 June is 15:30 UTC the same day: still the first half-year."""
    at = datetime(2026, 6, 30, 23, 30, tzinfo=timezone(timedelta(hours=8)))
    salon = make_salon(engine, month="2026-06", department="PROD", attendees=("P2",), scheduled_at=at)

    record(engine, salon, "P2", K.SHARER)

    assert contributions(engine)[0][3] == date(2026, 6, 30)


def test_only_the_salons_people_get_contributions(engine, people):
    salon = make_salon(engine, month="2026-10", department="PROD", presenters=("P1",), attendees=("P2",))

    with pytest.raises(InvalidArgument) as refused:
        record(engine, salon, "C1", K.SHARER)  # CS: not invited, did not come
    assert refused.value.field == "employee_id" and "not one of salon" in str(refused.value)
    with pytest.raises(InvalidArgument, match="unknown employee 'NOBODY'"):
        record(engine, salon, "NOBODY", K.SHARER)
    with pytest.raises(InvalidArgument, match="attendance comes from its outcome"):
        record(engine, salon, "P1", K.ATTENDEE)  # presented, but the outcome does not list them
    record(engine, salon, "P1", K.SHARER)  # the presenter shares
    assert [c[:2] for c in contributions(engine)] == [(people["P1"], "sharer")]


@pytest.mark.parametrize("status", [SalonStatus.PROPOSED, SalonStatus.SCHEDULED, SalonStatus.CANCELLED])
def test_a_salon_not_held_takes_no_contribution(engine, people, status):
    salon = make_salon(engine, month="2026-10", department="PROD", presenters=("P1",), status=status)

    with pytest.raises(InvalidArgument) as refused:
        record(engine, salon, "P1", K.SHARER)
    assert refused.value.field == "salon_id" and f"is {status.value}" in str(refused.value)
    assert contributions(engine) == []


def test_a_manager_records_only_for_salons_their_departments_attend(engine, people):
    salon = make_salon(engine, month="2026-10", department="CS", attendees=("C1",))

    with pytest.raises(InvalidArgument, match="that your departments attend"):
        record(engine, salon, "C1", K.SHARER, department_ids={people["PROD"], people["PROD-A"]})
    record(engine, salon, "C1", K.SHARER, department_ids={people["CS"]})
    assert len(contributions(engine)) == 1


def test_an_excellent_sharer_replaces_the_sharer_and_a_sharer_cannot_follow(engine, people):
    salon = make_salon(engine, month="2026-10", department="PROD", attendees=("P2",))

    record(engine, salon, "P2", K.SHARER)
    record(engine, salon, "P2", K.EXCELLENT_SHARER)
    with pytest.raises(InvalidArgument) as refused:
        record(engine, salon, "P2", K.SHARER)

    assert refused.value.field == "kind"
    assert [c[1:3] for c in contributions(engine)] == [("excellent_sharer", 2.0)]  # 2, not 1 + 2


def test_recording_again_renews_note_and_points_and_keeps_one_record(engine, people):
    salon = make_salon(engine, month="2026-10", department="PROD", attendees=("P2",))
    first, _ = record(engine, salon, "P2", K.PROBLEM_SOLVER, note="first")

    again, _ = record(
        engine,
        salon,
        "P2",
        K.PROBLEM_SOLVER,
        scorer=Scorer(parse_policy({"points": {"problem_solver": 4}})),
        note=" second ",
    )

    assert again == first
    with Session(engine) as session:
        stored = session.get(GrowthRecord, first)
    assert (stored.points, stored.note) == (4.0, "second")


def test_a_long_note_is_refused_and_nothing_is_written(engine, people):
    salon = make_salon(engine, month="2026-10", department="PROD", attendees=("P2",))

    with pytest.raises(InvalidArgument) as refused:
        record(engine, salon, "P2", K.SHARER, note="x" * 2001)

    assert refused.value.field == "note"
    assert contributions(engine) == []


def test_attendance_gives_each_attendee_an_attendee_record_and_follows_a_corrected_list(engine, people):
    salon = make_salon(engine, month="2026-10", department="PROD", attendees=("P1", "P2"))
    record(engine, salon, "P1", K.SHARER)

    with session_scope(engine) as session:
        job = record_attendance_contributions(session, salon, POLICY)
        job_id = job.id
    assert {c[:3] for c in contributions(engine)} == {
        (people["P1"], "attendee", 0.0),
        (people["P1"], "sharer", 1.0),
        (people["P2"], "attendee", 0.0),
    }
    with Session(engine) as session:
        assert session.get(Job, job_id).args == {"periods": ["2026-10"]}

    # the outcome is recorded again: P1 did not come after all, A1 did
    with session_scope(engine) as session:
        session.delete(session.get(SalonAttendee, (salon, people["P1"])))
        session.add(SalonAttendee(salon_id=salon, employee_id=people["A1"]))
    with session_scope(engine) as session:
        record_attendance_contributions(session, salon, POLICY)
    with session_scope(engine) as session:
        record_attendance_contributions(session, salon, POLICY)  # twice: nothing more

    assert sorted(c[:2] for c in contributions(engine)) == sorted(
        [
            (people["P1"], "sharer"),  # HR's record stays
            (people["P2"], "attendee"),
            (people["A1"], "attendee"),
        ]
    )


def test_hook_contribution_points(engine, people):
    """A plugin decides the points with its own settings; the first in pluggy's order that
    answers wins, None passes."""
    calls = []

    class Doubler:
        @hookimpl
        def register_settings(self):
            return [Setting("factor", float, 2.0, "what a sharing is multiplied by")]

        @hookimpl
        def contribution_points(self, contribution, points, settings):
            calls.append(("doubler", contribution.kind, contribution.employee_id, contribution.salon_month))
            return points * settings["factor"] if contribution.kind == "sharer" else None

    class Silent:
        @hookimpl(tryfirst=True)
        def contribution_points(self, contribution):  # a subset of the arguments is fine
            calls.append(("silent", contribution.format_key, contribution.department_code))
            return None

    manager = get_plugin_manager(
        entry_points=False,
        plugins=[("doubler", Doubler()), ("silent", Silent())],
        environ={"SALON_PLUGIN_DOUBLER_FACTOR": "2.5"},
    )
    scorer = Scorer(PointsPolicy(), manager)
    salon = make_salon(engine, month="2026-10", department="PROD", attendees=("P2", "P1"))

    record(engine, salon, "P2", K.SHARER, scorer=scorer)
    record(engine, salon, "P1", K.PROBLEM_SOLVER, scorer=scorer)

    assert {c[0]: c[1:3] for c in contributions(engine)} == {
        people["P2"]: ("sharer", 2.5),  # 1 × the plugin's factor, set to 2.5
        people["P1"]: ("problem_solver", 3.0),  # the doubler said None: the policy's
    }
    assert calls[:2] == [("silent", "data_review_workshop", "PROD"), ("doubler", "sharer", "P2", "2026-10")]


@pytest.mark.parametrize("answer", [-1, float("nan"), "3", True])
def test_a_plugin_answer_that_is_no_points_is_refused_by_name_and_nothing_is_recorded(engine, people, answer):
    plugin = types.SimpleNamespace(contribution_points=hookimpl(lambda contribution, points: answer))
    scorer = Scorer(PointsPolicy(), get_plugin_manager(entry_points=False, plugins=[("generous", plugin)]))
    salon = make_salon(engine, month="2026-10", department="PROD", attendees=("P2",))

    with pytest.raises(PluginError, match="plugin 'generous': contribution_points returned"):
        record(engine, salon, "P2", K.SHARER, scorer=scorer)
    assert contributions(engine) == []


def test_an_imported_salon_contribution_and_a_recorded_one_of_the_same_day_live_side_by_side(engine, people):
    """The import's key is person × date × kind × skill; a recorded contribution's is person ×
    salon × kind: importing a row of that day neither updates nor collides with it."""
    salon = make_salon(
        engine,
        month="2026-10",
        department="PROD",
        attendees=("P2",),
        scheduled_at=datetime(2026, 10, 14, 6, tzinfo=UTC),
    )
    record(engine, salon, "P2", K.SHARER, note="recorded")
    rows = "employee_id,date,kind,skill,score,note\nP2,2026-10-14,salon_contribution,,,imported\n"

    first = run_import(engine, ImportKind.GROWTH, rows.encode(), "growth.csv", secret="x" * 16)
    again = run_import(engine, ImportKind.GROWTH, rows.encode(), "growth.csv", secret="x" * 16)

    assert (first.counts.inserted, again.counts.inserted, again.counts.unchanged) == (1, 0, 1)
    with Session(engine) as session:
        found = session.exec(
            select(GrowthRecord.note, GrowthRecord.contribution, GrowthRecord.points)
            .where(GrowthRecord.employee_id == people["P2"], GrowthRecord.kind == "salon_contribution")
            .order_by(col(GrowthRecord.note))
        ).all()
    assert [tuple(row) for row in found] == [("imported", None, 0.0), ("recorded", "sharer", 1.0)]
