"""Milestones step evenly from the baseline to the goal, monthly or quarterly, hand-computed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from domain.errors import InvalidArgument
from domain.periods import Period
from domain.plans.milestones import deadline_month, due_by, milestones, plan_start

P = Period.parse


def test_monthly_milestones_step_evenly_from_the_month_after_the_salon_to_the_deadline():
    # bug rate 0.10 -> goal 0.08 (-20%) from 2026-11 to 2027-02: four steps of 0.005
    found = milestones(0.10, 0.08, P("2026-11"), P("2027-02"), "month")

    assert [str(m.period) for m in found] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert [round(m.target_value, 6) for m in found] == [0.095, 0.09, 0.085, 0.08]
    assert [m.due for m in found] == [m.period for m in found]


def test_quarterly_milestones_are_due_in_each_quarters_last_month_and_end_on_the_goal():
    # output 200 -> 260 (+30%) from 2026-11 to 2027-Q2: quarters Q4, Q1, Q2 -> 220, 240, 260
    found = milestones(200.0, 260.0, P("2026-11"), P("2027-Q2"), "quarter")

    assert [str(m.period) for m in found] == ["2026-Q4", "2027-Q1", "2027-Q2"]
    assert [str(m.due) for m in found] == ["2026-12", "2027-03", "2027-06"]
    assert [round(m.target_value, 6) for m in found] == [220.0, 240.0, 260.0]


def test_a_month_deadline_inside_a_quarter_ends_the_last_quarterly_step_there():
    found = milestones(1.0, 2.0, P("2026-11"), P("2027-02"), "quarter")

    assert [str(m.due) for m in found] == ["2026-12", "2027-02"]
    assert found[-1].target_value == 2.0


def test_the_milestone_due_by_a_month_is_the_latest_whose_time_has_come():
    found = milestones(200.0, 260.0, P("2026-11"), P("2027-Q2"), "quarter")

    assert due_by(found, P("2026-11")) is None
    assert due_by(found, P("2026-12")).target_value == 220.0
    assert due_by(found, P("2027-02")).target_value == 220.0
    assert due_by(found, P("2027-09")).target_value == 260.0


def test_a_deadline_before_the_first_month_is_refused_naming_the_field():
    with pytest.raises(InvalidArgument) as refused:
        milestones(1.0, 2.0, P("2026-11"), P("2026-10"), "month")
    assert refused.value.field == "deadline" and "2026-10" in str(refused.value)


def test_the_deadline_month_of_a_quarter_is_its_last():
    assert deadline_month(P("2027-Q1")) == P("2027-03") and deadline_month(P("2027-01")) == P("2027-01")


@dataclass
class _Plan:
    created_at: datetime


def test_a_plan_starts_the_month_after_its_salon_or_else_after_the_month_it_was_made_in():
    made = _Plan(datetime(2026, 12, 31, 23, 0, tzinfo=UTC))

    assert plan_start(made, "2026-10") == P("2026-11")
    assert plan_start(made, P("2026-12")) == P("2027-01")
    assert plan_start(made, None) == P("2027-01")  # December's plan: from January
