"""Programme metrics on hand-made frames: each rate worked out by hand for a month, a quarter, a
half-year and a year, and the gap engine's own ``below_target`` behind the attainment rate.

The company of these cases (2026):

- people: E1 (hired 2020), E4 (hired 2019), E2 (hired 2026-11-15), E3 (hired 2027-01-10);
  growth records: E1 on 2026-03-01, 2026-10-05, 2026-10-20; E2 on 2026-12-01; E3 on 2026-12-31
  (before E3 was hired: not an active employee's update);
- salons: S1 2026-10 held, 10 invited, 8 came, rated 5 4 4 3 5; S2 2026-10 only scheduled, 8
  invited (a stray rating of 1, not counted); S3 2026-11 held, 5 invited, 6 came (a walk-in),
  rated 5 5; S4 2026-07 held, 4 invited, 2 came;
- plans: P1 2026-08…2026-12, on track in Aug, not Sep, on track Oct, not Nov; P2 2026-09…2027-03,
  ACHIEVED in 2026-10, not on track Sep, on track Oct; P3 cancelled (on track Oct); P4
  2026-11…2027-06, not measured yet.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from workers.analytics.gaps import TARGETS_SCHEMA, gaps
from workers.analytics.programme import (
    ATTENDANCE_SCHEMA,
    GAP_RESULTS_SCHEMA,
    PLANS_SCHEMA,
    PROGRESS_SCHEMA,
    RATINGS_SCHEMA,
    RECORDS_SCHEMA,
    SALONS_SCHEMA,
    STAFF_SCHEMA,
    ProgrammeInputs,
    months_to_periods,
    periods_with_data,
    programme_metrics,
)

E1, E2, E3, E4 = 1, 2, 3, 4
S1, S2, S3, S4 = 11, 12, 13, 14


def frame(schema: pl.Schema, rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


GAP_RESULTS = [  # (period, has a target, below it)
    ("2026-10", True, False),
    ("2026-10", True, True),
    ("2026-10", True, False),
    ("2026-10", False, False),  # no target: not judged
    ("2026-11", True, True),
    ("2026-12", False, False),
    ("2026-Q4", True, False),
    ("2026-Q4", True, True),
    ("2026-Q3", True, False),
    ("2026-Q3", True, False),
    ("2026-Q3", True, True),
    ("2026-Q3", False, False),
    ("2026-Q1", True, True),
]


def inputs(**changed) -> ProgrammeInputs:
    given = {
        "gaps": frame(GAP_RESULTS_SCHEMA, GAP_RESULTS),
        "staff": frame(
            STAFF_SCHEMA,
            [
                (E1, date(2020, 1, 1)),
                (E4, date(2019, 5, 1)),
                (E2, date(2026, 11, 15)),
                (E3, date(2027, 1, 10)),
            ],
        ),
        "records": frame(
            RECORDS_SCHEMA,
            [
                (E1, date(2026, 3, 1)),
                (E1, date(2026, 10, 5)),
                (E1, date(2026, 10, 20)),
                (E2, date(2026, 12, 1)),
                (E3, date(2026, 12, 31)),
            ],
        ),
        "salons": frame(
            SALONS_SCHEMA,
            [
                (S1, "2026-10", True, 10),
                (S2, "2026-10", False, 8),
                (S3, "2026-11", True, 5),
                (S4, "2026-07", True, 4),
            ],
        ),
        "attendance": frame(
            ATTENDANCE_SCHEMA,
            [(S1, 100 + i) for i in range(8)] + [(S3, 200 + i) for i in range(6)] + [(S4, 300), (S4, 301)],
        ),
        "ratings": frame(
            RATINGS_SCHEMA,
            [(S1, 5), (S1, 4), (S1, 4), (S1, 3), (S1, 5), (S2, 1), (S3, 5), (S3, 5)],
        ),
        "plans": frame(
            PLANS_SCHEMA,
            [
                (1, "2026-08", "2026-12", None, False),
                (2, "2026-09", "2027-03", "2026-10", False),
                (3, "2026-09", "2027-03", None, True),
                (4, "2026-11", "2027-06", None, False),
            ],
        ),
        "progress": frame(
            PROGRESS_SCHEMA,
            [
                (1, "2026-08", True),
                (1, "2026-09", False),
                (1, "2026-10", True),
                (1, "2026-11", False),
                (2, "2026-09", False),
                (2, "2026-10", True),
                (3, "2026-10", True),
            ],
        ),
    }
    return ProgrammeInputs(**(given | changed))


def metrics_of(periods: list[str], **changed) -> dict[str, dict]:
    result = programme_metrics(periods, inputs(**changed))
    assert result.get_column("period").to_list() == periods  # in the order asked
    return {row["period"]: row for row in result.iter_rows(named=True)}


PERIODS = ["2026-09", "2026-10", "2026-11", "2026-12", "2026-Q4", "2026-H2", "2026"]


def test_attainment_is_the_share_of_results_with_a_target_not_below_it():
    found = metrics_of(PERIODS)

    assert found["2026-10"]["attainment_rate"] == pytest.approx(2 / 3)  # 3 judged, 2 met
    assert found["2026-10"]["attainment_results"] == 3
    assert found["2026-11"]["attainment_rate"] == 0.0
    assert found["2026-Q4"]["attainment_rate"] == pytest.approx(1 / 2)  # the quarter's own results
    assert found["2026-H2"]["attainment_rate"] == pytest.approx(3 / 5)  # Q3 (2 of 3) and Q4 (1 of 2)
    assert found["2026"]["attainment_rate"] == pytest.approx(3 / 6)  # and Q1 (0 of 1)


def test_attainment_is_null_without_a_target_in_the_period():
    found = metrics_of(["2026-12", "2026-09"])

    assert found["2026-12"]["attainment_rate"] is None  # a result, but no target
    assert found["2026-12"]["attainment_results"] == 0
    assert found["2026-09"]["attainment_rate"] is None  # no result at all


def test_growth_archive_update_rate_counts_active_people_with_a_record_in_the_period():
    found = metrics_of(PERIODS)

    assert (found["2026-10"]["updated_employees"], found["2026-10"]["active_employees"]) == (
        1,
        2,
    )  # E1 of E1, E4
    assert found["2026-10"]["growth_archive_update_rate"] == 0.5
    assert found["2026-12"]["growth_archive_update_rate"] == pytest.approx(
        1 / 3
    )  # E2 of E1, E4, E2; E3 not hired
    assert found["2026-Q4"]["growth_archive_update_rate"] == pytest.approx(2 / 3)  # E1, E2
    assert found["2026-H2"]["growth_archive_update_rate"] == pytest.approx(2 / 3)
    assert found["2026"]["growth_archive_update_rate"] == pytest.approx(2 / 3)  # E1 twice over is one
    assert found["2026-09"]["growth_archive_update_rate"] == 0.0  # 2 active, none updated


def test_satisfaction_is_the_mean_rating_times_20_from_five_ratings_rounded_to_5_points():
    found = metrics_of(PERIODS)

    # S1: 5 4 4 3 5 → 4.2 × 20 = 84 → 85; the scheduled S2's rating does not count
    assert (found["2026-10"]["satisfaction"], found["2026-10"]["ratings"]) == (85.0, 5)
    # S3 alone: 2 ratings, too few to show (its 5 and 5 would be there for all to read)
    assert (found["2026-11"]["satisfaction"], found["2026-11"]["ratings"]) == (None, 2)
    # Q4: 31 / 7 × 20 = 88.57 → 90
    assert (found["2026-Q4"]["satisfaction"], found["2026-Q4"]["ratings"]) == (90.0, 7)
    assert found["2026-09"]["satisfaction"] is None


def test_a_month_and_its_quarter_do_not_give_away_the_one_score_between_them():
    """S1 has five ratings; one more (a 1) in the quarter: 6 × quarter − 5 × month would be that
    person's score, were both shown exactly (20: a 1). Rounded to 5 points, the difference says
    nothing: 6 × 75 − 5 × 85 = 25, which is no one's score."""
    ratings = frame(RATINGS_SCHEMA, [(S1, 5), (S1, 4), (S1, 4), (S1, 3), (S1, 5), (S3, 1)])
    found = metrics_of(["2026-10", "2026-Q4"], ratings=ratings)

    month, quarter = found["2026-10"]["satisfaction"], found["2026-Q4"]["satisfaction"]
    assert (month, quarter) == (85.0, 75.0)  # exactly: 84 and 73.33
    assert 6 * quarter - 5 * month not in {20.0, 40.0, 60.0, 80.0, 100.0}


def test_participation_is_attendees_over_invited_of_the_salons_held():
    found = metrics_of(PERIODS)

    assert found["2026-10"]["salons_held"] == 1  # S2 was only scheduled
    assert found["2026-10"]["participation_rate"] == pytest.approx(8 / 10)
    assert found["2026-11"]["participation_rate"] == pytest.approx(6 / 5)  # a walk-in came
    assert (found["2026-Q4"]["attendees"], found["2026-Q4"]["invited"]) == (14, 15)
    assert found["2026-H2"]["participation_rate"] == pytest.approx(16 / 19)  # and S4 in July
    assert found["2026-H2"]["salons_held"] == 3
    assert found["2026-12"]["participation_rate"] is None  # nothing held


def test_plans_on_track_at_their_latest_progress_point():
    found = metrics_of(PERIODS)

    assert (found["2026-09"]["plans_on_track"], found["2026-09"]["plans_measured"]) == (0.0, 2)
    assert (found["2026-10"]["plans_on_track"], found["2026-10"]["plans_measured"]) == (1.0, 2)
    # P2 was decided in October, P4 has no progress: P1 alone, off track in November
    assert (found["2026-11"]["plans_on_track"], found["2026-11"]["plans_measured"]) == (0.0, 1)
    # P1 off track (November), P2 on track (October, still active in Q4's first month)
    assert found["2026-Q4"]["plans_on_track"] == 0.5
    assert found["2026-H2"]["plans_on_track"] == 0.5


def test_a_period_without_anything_is_zeros_and_nulls():
    found = metrics_of(["2025-03"])["2025-03"]

    assert found == {
        "period": "2025-03",
        "attainment_rate": None,
        "attainment_results": 0,
        "growth_archive_update_rate": 0.0,
        "active_employees": 2,  # E1 and E4 were there
        "updated_employees": 0,
        "satisfaction": None,
        "ratings": 0,
        "salons_held": 0,
        "participation_rate": None,
        "attendees": 0,
        "invited": 0,
        "plans_on_track": None,
        "plans_measured": 0,
    }


def test_attainment_takes_below_target_from_the_gap_engine_in_both_directions():
    """Two departments, a lower-is-better complaint rate and a higher-is-better output:

    - complaint rate (lower): dept 1 at 0.149 against 0.09 → below target; dept 2 at 0.08
      against 0.09 → met; dept 3 exactly on its target 0.09 → met (a tie is not below);
    - output (higher): dept 1 at 95 against 100 → below; dept 2 at 100.0000000001 against 100 →
      met; dept 3 has no target → not judged.
    The month: 6 results, 5 with a target, 3 met → 0.6."""
    values = pl.DataFrame(
        [
            (1, 1, "2026-10", 0.149, None, None, 10),
            (1, 2, "2026-10", 0.08, None, None, 10),
            (1, 3, "2026-10", 0.09, None, None, 10),
            (2, 1, "2026-10", 95.0, None, None, 10),
            (2, 2, "2026-10", 100.0000000001, None, None, 10),
            (2, 3, "2026-10", 80.0, None, None, 10),
        ],
        schema=["metric_id", "department_id", "period", "value", "numerator", "denominator", "contributors"],
        orient="row",
    )
    metrics = pl.DataFrame(
        [(1, "lower", "mean", None), (2, "higher", "sum", None)],
        schema=["metric_id", "direction", "aggregation", "skill"],
        orient="row",
    )
    targets = pl.DataFrame(
        [
            (1, 1, "2026-10", 0.09),
            (1, 2, "2026-10", 0.09),
            (1, 3, "2026-10", 0.09),
            (2, 1, "2026-10", 100.0),
            (2, 2, "2026-10", 100.0),
        ],
        schema=TARGETS_SCHEMA,
        orient="row",
    )
    engine = gaps(values, metrics, targets)
    results = engine.select("period", has_target=pl.col("target").is_not_null(), below_target="below_target")

    found = metrics_of(["2026-10", "2026-Q4"], gaps=results)

    assert found["2026-10"]["attainment_results"] == 5
    assert found["2026-10"]["attainment_rate"] == pytest.approx(3 / 5)
    # the quarter's targets are derived from its months by the engine; Q4 has October only, so the
    # summed output is not judged there (part of a quarter's sum is no quarter's): 2 of 3 rates met
    assert found["2026-Q4"]["attainment_results"] == 3
    assert found["2026-Q4"]["attainment_rate"] == pytest.approx(2 / 3)


def test_the_periods_a_change_moves_and_those_a_full_rebuild_computes():
    assert months_to_periods(["2026-10", "2026-11"]) == [
        "2026",
        "2026-10",
        "2026-11",
        "2026-H2",
        "2026-Q4",
    ]
    found = periods_with_data(inputs())
    assert {"2026-03", "2026-Q1", "2026-H1", "2026-07", "2026-Q3", "2026-12", "2026"} <= set(found)
    assert "2027" not in found  # E3's hire is no datum of the programme; P2's deadline neither
    assert "2026-02" not in found


def test_a_proposed_salon_is_no_datum_of_its_month_a_held_one_is():
    proposed = inputs(salons=frame(SALONS_SCHEMA, [(S1, "2026-02", False, 10)]))
    held = inputs(salons=frame(SALONS_SCHEMA, [(S1, "2026-02", True, 10)]))

    assert "2026-02" not in periods_with_data(proposed)
    assert "2026-02" in periods_with_data(held)
