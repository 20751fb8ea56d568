"""Making, changing and cancelling plans: the baseline (with and without a salon), the goal's
direction, the deadline, who may be on a plan — and the plan_progress job committed with each
change, sent only after the commit. Values from ``tests.support.follow_up`` (hand-made)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.jobs import PLAN_PROGRESS
from domain.models import Employee, ImprovementPlan, Job, PlanMember, SalonStatus
from domain.periods import Period
from domain.plans import service
from domain.plans.service import PlanDraft, PlanUpdate
from tests.support import follow_up
from tests.support.follow_up import add_salon

NOW = datetime(2026, 12, 6, 9, tzinfo=UTC)  # plans without a salon take the months before 2026-12


@pytest.fixture
def ids(engine):
    return follow_up.build(engine)


def draft(**changes) -> PlanDraft:
    base = {
        "department_code": "PROD",
        "metric_code": "defect_rate",
        "goal_change": -0.2,
        "deadline": Period.parse("2027-03"),
        "owner_id": "P1",
        "member_ids": ["P2"],
    }
    return PlanDraft(**{**base, **changes})


def create(engine, plan_draft: PlanDraft, department_ids=None, now=NOW) -> int:
    with session_scope(engine) as session:
        return service.create(session, plan_draft, "P1", department_ids, now=now).plan.id


def held_salon(engine, department="PROD", month="2026-11", **kwargs) -> int:
    return add_salon(engine, department, month, status=SalonStatus.HELD, **kwargs)


def plan_and_members(engine, plan_id) -> tuple[ImprovementPlan, list[str]]:
    with Session(engine) as session:
        plan = session.get(ImprovementPlan, plan_id)
        members = session.exec(
            select(Employee.employee_id)
            .join(PlanMember, col(PlanMember.employee_id) == col(Employee.id))
            .where(PlanMember.plan_id == plan_id)
            .order_by(col(Employee.employee_id))
        ).all()
        return plan, list(members)


def jobs(engine) -> list[Job]:
    with Session(engine) as session:
        return list(session.exec(select(Job).where(Job.actor == PLAN_PROGRESS).order_by(col(Job.created_at))))


def test_a_plan_after_a_salon_takes_the_last_month_with_data_before_the_salons_month(engine, ids):
    salon_id = held_salon(engine, host="CS")

    plan_id = create(engine, draft(salon_id=salon_id, member_ids=["P2", "A1", "C1"]))

    plan, members = plan_and_members(engine, plan_id)
    # 2026-11 is the salon's own month and 2026-10 has no value: 2026-09's 0.05; -20% -> 0.04
    assert (plan.baseline_period, plan.baseline) == ("2026-09", 0.05)
    assert plan.goal_value == pytest.approx(0.04) and plan.goal_change == -0.2
    assert plan.salon_id == salon_id and plan.status == "ACTIVE" and plan.deadline == "2027-03"
    assert plan.owner_id == ids["P1"] and plan.milestone_every == "month" and plan.created_by == "P1"
    assert members == ["A1", "C1", "P2"]  # A1 from PROD-A below PROD, C1 from the salon's host
    (job,) = jobs(engine)
    assert job.args == {"plan_ids": [plan_id]} and job.status == "QUEUED"


def test_a_plan_without_a_salon_takes_the_last_month_with_data_before_its_creation(engine, ids):
    december = create(engine, draft())
    mid_november = create(engine, draft(), now=datetime(2026, 11, 15, tzinfo=UTC))
    output = create(engine, draft(metric_code="output", goal_change=0.3, milestone_every="quarter"))

    assert plan_and_members(engine, december)[0].baseline_period == "2026-11"
    assert plan_and_members(engine, december)[0].baseline == 0.04
    assert plan_and_members(engine, mid_november)[0].baseline_period == "2026-09"
    plan = plan_and_members(engine, output)[0]
    assert (plan.baseline, plan.goal_value, plan.milestone_every) == (200.0, pytest.approx(260.0), "quarter")


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        (
            {"metric_code": "output", "department_code": "CS"},
            "metric_code: no value of 产量 for CS before 2026-12: a plan needs a baseline",
        ),
        (
            {"goal_change": 0.1},
            "goal_change: +10% worsens 不良率 (lower is better, baseline 0.04 in 2026-11): a goal must improve it",
        ),
        (
            {"goal_change": 0.0},
            "goal_change: 0% does not change 不良率 (lower is better, baseline 0.04 in 2026-11): "
            "a goal must improve it",
        ),
        (
            {"metric_code": "output", "goal_change": -0.1},
            "goal_change: -10% worsens 产量 (higher is better, baseline 200 in 2026-09): a goal must improve it",
        ),
        ({"goal_change": -1.5}, "goal_change: must be a finite number of at least -1 (-100%), got -1.5"),
        ({"deadline": Period.parse("2026-12")}, "deadline: 2026-12 is before the plan's first month 2027-01"),
        (
            {"deadline": Period.parse("2032-01")},
            "deadline: at most 60 months from the plan's first month 2027-01",
        ),
        ({"milestone_every": "week"}, "milestone_every: must be one of 'month', 'quarter', got 'week'"),
        ({"owner_id": "C1"}, "owner_id: outside the plan's department: 'C1'"),
        ({"owner_id": "nobody"}, "owner_id: no current employee: 'nobody'"),
        ({"member_ids": ["P2", "C1"]}, "member_ids: outside the plan's department: 'C1'"),
        ({"department_code": "NOPE"}, "department_code: no department 'NOPE' in your scope"),
        ({"metric_code": "nope"}, "metric_code: unknown metric 'nope'"),
    ],
)
def test_a_plan_is_refused_with_its_reason_and_nothing_is_written(engine, ids, changes, refusal):
    with pytest.raises(InvalidArgument) as refused:
        create(engine, draft(**changes))

    assert str(refused.value) == refusal
    with Session(engine) as session:
        assert session.exec(select(ImprovementPlan)).all() == [] and jobs(engine) == []


def test_a_plan_follows_a_held_salon_its_department_attends(engine, ids):
    proposed = add_salon(engine, month="2026-10")
    cancelled = add_salon(engine, "CS", "2026-11", status=SalonStatus.CANCELLED, participants=("C1",))
    cs_held = held_salon(engine, "CS", "2026-10", participants=("C1",))
    early = held_salon(engine, month="2026-08")  # no PROD value before August

    for salon_id, why in [
        (proposed, f"salon_id: salon {proposed} is PROPOSED: a plan follows a salon that was held"),
        (cancelled, f"salon_id: no salon {cancelled} that the plan's department attends"),
        (cs_held, f"salon_id: no salon {cs_held} that the plan's department attends"),
        (early, "metric_code: no value of 不良率 for PROD before 2026-08: a plan needs a baseline"),
    ]:
        with pytest.raises(InvalidArgument) as refused:
            create(engine, draft(salon_id=salon_id))
        assert str(refused.value) == why


def test_a_manager_plans_only_for_their_departments(engine, ids):
    with pytest.raises(InvalidArgument, match="department_code: no department 'PROD' in your scope"):
        create(engine, draft(), department_ids={ids["CS"]})

    assert create(engine, draft(), department_ids={ids["PROD"], ids["PROD-A"]}) > 0


def test_the_job_is_sent_only_after_the_plan_and_job_are_committed(engine, ids):
    seen = []

    def send(bound, job_id):  # what a worker would find when the message arrives
        with Session(bound) as session:
            job = session.get(Job, job_id)
            seen.append((job.actor, job.args, session.exec(select(ImprovementPlan.id)).all()))

    plan_id = service.commit_and_send(
        engine, lambda session: service.create(session, draft(), "P1", now=NOW), send
    )

    assert seen == [(PLAN_PROGRESS, {"plan_ids": [plan_id]}, [plan_id])]


def update(engine, plan_id, change: PlanUpdate, department_ids=None):
    with session_scope(engine) as session:
        service.update(session, plan_id, change, department_ids)
    return plan_and_members(engine, plan_id)


def test_an_update_keeps_the_baseline_and_recomputes_the_goal(engine, ids):
    plan_id = create(engine, draft(member_ids=["P2", "A1"]))

    plan, members = update(
        engine,
        plan_id,
        PlanUpdate(
            goal_change=-0.5,
            deadline=Period.parse("2027-Q2"),
            owner_id="P2",
            member_ids=["P1"],
            milestone_every="quarter",
        ),
    )

    assert (plan.baseline_period, plan.baseline) == ("2026-11", 0.04)
    assert plan.goal_value == pytest.approx(0.02) and plan.goal_change == -0.5
    assert (plan.deadline, plan.milestone_every, plan.owner_id) == ("2027-Q2", "quarter", ids["P2"])
    assert members == ["P1"]
    assert [job.args for job in jobs(engine)] == [{"plan_ids": [plan_id]}] * 2
    plan, members = update(engine, plan_id, PlanUpdate(deadline=Period.parse("2027-06")))
    assert members == ["P1"] and plan.owner_id == ids["P2"]  # what is not given stays


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (PlanUpdate(), "input: nothing to change: give at least one field"),
        (PlanUpdate(goal_change=0.2), "goal_change: +20% worsens 不良率"),
        (
            PlanUpdate(deadline=Period.parse("2026-11")),
            "deadline: 2026-11 is before the plan's first month 2027-01",
        ),
        (PlanUpdate(member_ids=["C1"]), "member_ids: outside the plan's department: 'C1'"),
    ],
)
def test_an_update_is_refused_with_its_reason_and_nothing_changes(engine, ids, change, refusal):
    plan_id = create(engine, draft())
    before = plan_and_members(engine, plan_id)

    with pytest.raises(InvalidArgument) as refused:
        update(engine, plan_id, change)

    assert str(refused.value).startswith(refusal)
    after = plan_and_members(engine, plan_id)
    assert after[0].model_dump() == before[0].model_dump() and after[1] == before[1]
    assert len(jobs(engine)) == 1


def test_cancelling_says_why_and_ends_the_plans_changes(engine, ids):
    plan_id = create(engine, draft())

    def cancel(reason, department_ids=None):
        with session_scope(engine) as session:
            service.cancel(session, plan_id, reason, department_ids)

    with pytest.raises(InvalidArgument, match="^reason: must not be empty$"):
        cancel("  ")
    with pytest.raises(InvalidArgument, match=f"^id: no plan {plan_id} in your departments$"):
        cancel("reorganised", {ids["CS"]})
    cancel(" reorganised ")

    plan = plan_and_members(engine, plan_id)[0]
    assert (plan.status, plan.cancel_reason) == ("CANCELLED", "reorganised")
    assert len(jobs(engine)) == 2
    with pytest.raises(InvalidArgument, match=f"^id: plan {plan_id} is cancelled: it no longer changes$"):
        cancel("again")
    with pytest.raises(InvalidArgument, match="is cancelled"):
        update(engine, plan_id, PlanUpdate(goal_change=-0.3))
