"""Progress, status and effect of improvement plans on hand-computed frames, both directions.

The cases (every number worked out by hand below):

- plan 1, pick error rate (LOWER is better), department 10: baseline 0.10 in 2026-09, goal −30%
  → 0.07 by 2027-01, monthly milestones 0.09 (2026-11), 0.08 (2026-12), 0.07 (2027-01);
- plan 2, output (HIGHER is better), department 20: baseline 200 in 2026-09, goal +30% → 260
  by 2027-Q2, quarterly milestones 220 (due 2026-12), 240 (2027-03), 260 (2027-06).
"""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from workers.analytics.progress import (
    EFFECT_SCHEMA,
    PLANS_SCHEMA,
    PROGRESS_SCHEMA,
    plan_effects,
    plan_statuses,
    progress,
)

LOWER, HIGHER = 1, 2  # metric ids


def plan(plan_id, metric_id, department_id, direction, baseline, baseline_period, goal_change, start, deadline_month, status="ACTIVE"):  # fmt: skip
    return (
        plan_id, metric_id, department_id, direction, baseline, baseline_period, goal_change,
        baseline * (1 + goal_change), start, deadline_month, status,
    )  # fmt: skip


def plans(*rows) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=PLANS_SCHEMA, orient="row")


def values(*rows) -> pl.DataFrame:
    """rows: (metric_id, department_id, period, value)."""
    return pl.DataFrame(
        list(rows), schema={"metric_id": pl.Int64, "department_id": pl.Int64, "period": pl.String, "value": pl.Float64},
        orient="row",
    )  # fmt: skip


def milestones(*rows) -> pl.DataFrame:
    return pl.DataFrame(
        list(rows), schema={"plan_id": pl.Int64, "due": pl.String, "target_value": pl.Float64}, orient="row"
    )


PICK_ERRORS = plan(1, LOWER, 10, "lower", 0.10, "2026-09", -0.30, "2026-11", "2027-01")
OUTPUT = plan(2, HIGHER, 20, "higher", 200.0, "2026-09", 0.30, "2026-11", "2027-06")
MONTHLY = [(1, "2026-11", 0.09), (1, "2026-12", 0.08), (1, "2027-01", 0.07)]
QUARTERLY = [(2, "2026-12", 220.0), (2, "2027-03", 240.0), (2, "2027-06", 260.0)]
PICK_VALUES = [
    (LOWER, 10, "2026-08", 0.11),  # before the baseline: not progress
    (LOWER, 10, "2026-09", 0.10),  # the baseline month itself: not progress
    (LOWER, 10, "2026-10", 0.096),
    (LOWER, 10, "2026-11", 0.088),
    (LOWER, 10, "2026-12", 0.085),
    (LOWER, 10, "2027-01", 0.071),
]
OUTPUT_VALUES = [
    (HIGHER, 20, "2026-09", 200.0),
    (HIGHER, 20, "2026-10", 190.0),
    (HIGHER, 20, "2026-11", 215.0),
    (HIGHER, 20, "2026-12", 224.0),
    (HIGHER, 20, "2027-01", 230.0),
    (HIGHER, 20, "2027-02", 238.0),
    (HIGHER, 20, "2027-03", 262.0),
    (HIGHER, 20, "2027-04", 250.0),
]


def expected(*rows) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=PROGRESS_SCHEMA, orient="row")


def test_lower_is_better_monthly_progress_down_12_percent_18_short_on_track():
    found = progress(plans(PICK_ERRORS), milestones(*MONTHLY), values(*PICK_VALUES))

    assert_frame_equal(
        found,
        expected(
            # plan, month, actual, change, remaining to −30%, milestone due, on track
            (1, "2026-10", 0.096, -0.04, 0.26, None, True),  # no milestone due yet: vs the baseline 0.10
            (1, "2026-11", 0.088, -0.12, 0.18, 0.09, True),  # 0.088 ≤ 0.09
            (1, "2026-12", 0.085, -0.15, 0.15, 0.08, False),  # 0.085 > 0.08
            (1, "2027-01", 0.071, -0.29, 0.01, 0.07, False),  # 0.071 > 0.07 at the deadline
        ),
        abs_tol=1e-12,
    )


def test_higher_is_better_quarterly_progress_reaches_the_goal_and_then_slips():
    found = progress(plans(OUTPUT), milestones(*QUARTERLY), values(*OUTPUT_VALUES))

    assert_frame_equal(
        found,
        expected(
            (2, "2026-10", 190.0, -0.05, 0.35, None, False),  # worse than the baseline 200
            (2, "2026-11", 215.0, 0.075, 0.225, None, True),  # Q4's milestone is due in December
            (2, "2026-12", 224.0, 0.12, 0.18, 220.0, True),
            (2, "2027-01", 230.0, 0.15, 0.15, 220.0, True),  # still measured against Q4's
            (2, "2027-02", 238.0, 0.19, 0.11, 220.0, True),
            (2, "2027-03", 262.0, 0.31, 0.0, 240.0, True),  # 262 ≥ 260: reached, nothing remains
            (2, "2027-04", 250.0, 0.25, 0.05, 240.0, True),  # slipped below the goal: 5 points short
        ),
        abs_tol=1e-12,
    )


def test_a_goal_hit_exactly_counts_as_reached_despite_floating_point():
    # 0.10 × (1 − 0.2) is 0.08000000000000002; 0.08 / 0.10 − 1 is −0.19999999999999996
    exact = plan(3, LOWER, 10, "lower", 0.10, "2026-09", -0.2, "2026-10", "2026-12")
    found = progress(plans(exact), milestones((3, "2026-12", exact[7])), values((LOWER, 10, "2026-12", 0.08)))

    assert found.row(0, named=True)["remaining_to_goal"] == 0.0
    assert found.row(0, named=True)["on_track"] is True
    assert plan_statuses(plans(exact), found).row(0) == (3, "ACHIEVED", "2026-12")


def test_a_zero_baseline_gives_no_progress_and_no_effect():
    zero = plan(4, LOWER, 10, "lower", 0.0, "2026-09", -0.3, "2026-11", "2027-01")
    found = progress(plans(zero), milestones(), values(*PICK_VALUES))

    assert found.is_empty()
    assert plan_effects(plans(zero), values(*PICK_VALUES)).is_empty()
    assert plan_statuses(plans(zero), found).row(0) == (4, "ACTIVE", None)


def test_status_missed_when_the_deadline_months_data_misses_achieved_on_the_first_month_reaching_it():
    both = plans(PICK_ERRORS, OUTPUT)
    found = progress(both, milestones(*MONTHLY, *QUARTERLY), values(*PICK_VALUES, *OUTPUT_VALUES))

    statuses = plan_statuses(both, found)

    assert statuses.rows() == [(1, "MISSED", "2027-01"), (2, "ACHIEVED", "2027-03")]
    milestones_seen = {
        plan_id: found.filter(pl.col("plan_id") == plan_id).get_column("milestone").to_list()
        for plan_id in (1, 2)
    }  # each plan measured against its own steps, monthly and quarterly side by side
    assert milestones_seen == {
        1: [None, 0.09, 0.08, 0.07],
        2: [None, None, 220.0, 220.0, 220.0, 240.0, 240.0],
    }


def test_status_stays_active_until_the_deadline_month_has_data_and_cancelled_plans_are_left_alone():
    cancelled = plan(
        5, HIGHER, 20, "higher", 200.0, "2026-09", 0.30, "2026-11", "2027-06", status="CANCELLED"
    )
    both = plans(PICK_ERRORS, cancelled)
    until_december = [row for row in PICK_VALUES if row[2] <= "2026-12"]
    found = progress(both, milestones(*MONTHLY), values(*until_december, *OUTPUT_VALUES))

    assert plan_statuses(both, found).rows() == [(1, "ACTIVE", None)]  # 5 is not touched
    assert found.filter(pl.col("plan_id") == 5).height == 7  # its progress is still measured


def test_a_goal_reached_after_the_deadline_month_does_not_achieve_it():
    late = plan(6, HIGHER, 20, "higher", 200.0, "2026-09", 0.30, "2026-11", "2027-02")
    found = progress(plans(late), milestones((6, "2027-02", 260.0)), values(*OUTPUT_VALUES))

    assert plan_statuses(plans(late), found).rows() == [(6, "MISSED", "2027-02")]  # 262 came in March


# --- effect ----------------------------------------------------------------------------------


def effect_of(frame: pl.DataFrame, plan_id: int) -> dict:
    return frame.filter(pl.col("plan_id") == plan_id).row(0, named=True)


def test_effect_against_departments_without_a_plan_difference_in_differences_by_hand():
    # other departments on pick errors between 2026-09 (plan 1's baseline) and 2027-01 (its latest):
    #   11: 0.20 → 0.22 (+10%); 12: 0.05 → 0.052 (+4%); 16: 0.10 → 0.10 (0%; its plan ended in 2026-08)
    #   13: has a CANCELLED plan over those months (out); 14: no 2027-01 value (out);
    #   15: 0 in the baseline month, a change from 0 is undefined (out)
    # comparison change = mean(+10%, +4%, 0%) = +4.666…%; plan 1: 0.071 / 0.10 − 1 = −29%
    # DiD = −29% − 4.666…% = −33.666…% (the relative change of the means would be +6.4%:
    #   (0.22 + 0.052 + 0.10) / (0.20 + 0.05 + 0.10) − 1 — a department's size would weigh in)
    others = [
        (LOWER, 11, "2026-09", 0.20), (LOWER, 11, "2027-01", 0.22),
        (LOWER, 12, "2026-09", 0.05), (LOWER, 12, "2027-01", 0.052),
        (LOWER, 13, "2026-09", 0.30), (LOWER, 13, "2026-11", 0.30), (LOWER, 13, "2027-01", 0.27),
        (LOWER, 14, "2026-09", 0.12),
        (LOWER, 15, "2026-09", 0.0), (LOWER, 15, "2027-01", 0.1),
        (LOWER, 16, "2026-09", 0.10), (LOWER, 16, "2027-01", 0.10),
    ]  # fmt: skip
    cancelled = plan(13, LOWER, 13, "lower", 0.30, "2026-11", -0.2, "2026-12", "2027-03", status="CANCELLED")
    ended = plan(16, LOWER, 16, "lower", 0.12, "2026-05", -0.2, "2026-06", "2026-08", status="MISSED")

    found = plan_effects(plans(PICK_ERRORS, cancelled, ended), values(*PICK_VALUES, *others))

    one = effect_of(found, 1)
    assert (one["baseline"], one["current"], one["current_period"]) == (0.10, 0.071, "2027-01")
    assert one["change"] == pytest.approx(-0.29)
    assert one["comparison_department_ids"] == [11, 12, 16]
    assert one["comparison_change"] == pytest.approx(0.14 / 3)
    assert one["difference_in_differences"] == pytest.approx(-0.29 - 0.14 / 3)
    # plan 13 (cancelled, still measured): 0.30 → 0.27 from 2026-11; nobody else has 2026-11 but
    # department 10, whose plan runs then: no comparison group
    thirteen = effect_of(found, 13)
    assert thirteen["change"] == pytest.approx(-0.1)
    assert thirteen["comparison_department_ids"] == []
    assert thirteen["comparison_change"] is None and thirteen["difference_in_differences"] is None
    # plan 16: 0.12 in 2026-05, latest 0.10 in 2027-01; department 11, 12… lack 2026-05
    assert effect_of(found, 16)["comparison_department_ids"] == []


def test_effect_higher_is_better_with_one_comparison_department():
    # output 200 → 250 (latest, 2027-04): +25%; department 21: 100 → 110 (+10%): DiD +15 points
    found = plan_effects(
        plans(OUTPUT),
        values(*OUTPUT_VALUES, (HIGHER, 21, "2026-09", 100.0), (HIGHER, 21, "2027-04", 110.0),
               (LOWER, 22, "2026-09", 1.0), (LOWER, 22, "2027-04", 5.0)),  # another metric: not compared
    )  # fmt: skip

    assert_frame_equal(
        found,
        pl.DataFrame(
            [(2, 200.0, 250.0, "2027-04", 0.25, 0.10, 0.15, [21])], schema=EFFECT_SCHEMA, orient="row"
        ),
        abs_tol=1e-12,
    )


def test_no_effect_before_any_data_after_the_baseline():
    found = plan_effects(plans(OUTPUT), values((HIGHER, 20, "2026-09", 200.0), (HIGHER, 21, "2026-10", 5.0)))

    assert found.is_empty() and found.schema == EFFECT_SCHEMA
