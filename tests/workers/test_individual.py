"""Individual figures on tiny hand-computed frames: the rows drivers and performers share."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.support.frames import metrics, observations
from workers.analytics.drivers import drivers, drivers_of
from workers.analytics.individual import INDIVIDUAL_SCHEMA, Packing, individual_periods
from workers.analytics.performers import performers_of, top_performers
from workers.analytics.periods import slot_period


def by_period(frame: pl.DataFrame, employee: int) -> dict[str, tuple]:
    rows = frame.filter(pl.col("employee_id") == employee).with_columns(period=slot_period(pl.col("slot")))
    return {
        period: (mass, value, score)
        for period, mass, value, score in rows.select("period", "mass", "value", "score").rows()
    }


def test_months_stay_rows_and_quarters_roll_up_mass_and_value():
    # defect rate (lower is better): employee 1 makes 2/100 then 12/200; employee 2 9/300
    rows = observations(
        (1, 1, "2026-07", 0.02, 2, 100), (1, 1, "2026-08", 0.06, 12, 200), (1, 2, "2026-09", 0.03, 9, 300)
    )

    frame = individual_periods(rows, metrics((1, "lower", "ratio")))

    assert frame.schema == INDIVIDUAL_SCHEMA
    assert frame.height == 3 + 2  # three months, one quarter row per employee
    one = by_period(frame, 1)
    assert one["2026-07"] == (2.0, 0.02, 0.02)
    assert one["2026-Q3"][0] == 14.0  # masses add up: the defects
    assert one["2026-Q3"][1] == pytest.approx(14 / 300)  # Σnumerator / Σdenominator
    assert by_period(frame, 2)["2026-Q3"] == (9.0, 0.03, 0.03)


def test_higher_is_better_scores_negated_and_ties_survive_summing_order():
    # 0.1 + 0.2 and 0.3 differ in the last bits; a score must not tell them apart
    rows = observations(
        (1, 1, "2026-07", 0.1, None, None),
        (1, 1, "2026-08", 0.2, None, None),
        (1, 2, "2026-07", 0.3, None, None),
    )

    frame = individual_periods(rows, metrics((1, "higher", "sum")))

    assert by_period(frame, 1)["2026-Q3"][1] != 0.3
    assert by_period(frame, 1)["2026-Q3"][2] == by_period(frame, 2)["2026-Q3"][2] == -0.3


def test_a_month_without_a_finite_value_has_no_value_and_no_mass_and_the_quarter_skips_it():
    rows = observations(
        (1, 1, "2026-07", float("nan"), None, None),
        (1, 1, "2026-08", 4.0, None, None),
        (1, 2, "2026-08", 6.0, None, None),
    )

    one = by_period(individual_periods(rows, metrics((1, "higher", "mean"))), 1)

    assert one["2026-07"] == (0.0, None, None)
    assert one["2026-08"] == (1.0, 4.0, -4.0)  # one below the month's mean of 5
    assert one["2026-Q3"] == (1.0, 4.0, -4.0)


def test_unknown_metrics_are_skipped_and_an_unknown_direction_ranks_nobody():
    rows = observations((1, 1, "2026-07", 3.0, None, None), (2, 1, "2026-07", 3.0, None, None))

    frame = individual_periods(rows, metrics((1, "sideways", "mean")))

    assert frame["metric_id"].unique().to_list() == [1]
    assert frame["score"].null_count() == frame.height
    assert individual_periods(observations(), metrics((1, "higher", "mean"))).schema == INDIVIDUAL_SCHEMA


def test_drivers_and_performers_from_one_frame_equal_their_own_computation():
    rows = observations(
        *[
            (m, e, p, float(e * m % 7), e % 3 + 1, 10)
            for m in (1, 2)
            for e in range(1, 25)
            for p in ("2026-07", "2026-08")
        ]
    )
    staff = pl.DataFrame(
        [(e, date(2026, 6, 1) if e % 4 == 0 else date(2020, 1, 1), f"t{e % 2}") for e in range(1, 25)],
        schema={"employee_id": pl.Int64, "hire_date": pl.Date, "team": pl.String},
        orient="row",
    )
    kinds = metrics((1, "lower", "ratio"), (2, "higher", "mean"))

    individual = individual_periods(rows, kinds)

    assert_frame_equal(drivers_of(individual, staff), drivers(rows, staff, kinds))
    assert_frame_equal(performers_of(individual), top_performers(rows, kinds))
    assert drivers_of(individual, staff).height > 0 and performers_of(individual).height > 0


# ids far apart: the ids from ``first`` on move by ``offset``, so their range grows; which keys
# still pack (the partition; the partition with the employee) in 62 bits
SPREADS = {  # column, offset, first, (packs, packs_employee)
    "metric": ("metric_id", 2**50, 2, (False, False)),  # 51 + 1 + 15 bits: nothing packs
    "department": ("department_id", 2**45, 2, (True, False)),  # 1 + 46 + 15 fit; + 4 for employees not
    "employee": ("employee_id", 2**50, 7, (True, False)),  # the partition packs, 51 more bits do not
    "negative": ("department_id", -(2**10), 0, (True, True)),  # negative ids pack from the lowest
}


@pytest.mark.parametrize("spread", list(SPREADS))
def test_ids_too_far_apart_to_pack_give_the_same_results(spread):
    # partitions (and, to roll quarters up, partition × employee) are packed into one integer
    # when the ids' ranges fit; otherwise ranked, or grouped on several columns
    column, offset, first, expected = SPREADS[spread]
    rows = observations(
        *[
            (m, e, p, float(e * m % 5), e % 3 + 1, 10)
            for m in (1, 2)
            for e in range(1, 13)
            for p in ("2026-06", "2026-07")
        ]
    ).with_columns(department_id=pl.col("employee_id") % 2 + 1)
    staff = pl.DataFrame(
        [(e, date(2026, 5, 1) if e % 3 == 0 else date(2020, 1, 1), None) for e in range(1, 13)],
        schema={"employee_id": pl.Int64, "hire_date": pl.Date, "team": pl.String},
        orient="row",
    )
    kinds = metrics((1, "lower", "ratio"), (2, "higher", "sum"))

    def moved(frame: pl.DataFrame) -> pl.DataFrame:
        ids = pl.col(column)
        return (
            frame.with_columns(pl.when(ids >= first).then(ids + offset).otherwise(ids))
            if column in frame
            else frame
        )

    def back(frame: pl.DataFrame) -> pl.DataFrame:
        ids = pl.col(column)
        frame = (
            frame.with_columns(pl.when(ids >= first + offset).then(ids - offset).otherwise(ids))
            if column in frame
            else frame
        )
        if column == "employee_id" and "segment" in frame:  # an employee segment names the employee
            ids = pl.col("segment").cast(pl.Int64, strict=False)
            employee = pl.when(ids >= first + offset).then(ids - offset).otherwise(ids).cast(pl.String)
            frame = frame.with_columns(
                pl.when(pl.col("dimension") == "employee")
                .then(employee)
                .otherwise("segment")
                .alias("segment")
            )
        return frame

    packing = Packing.of(moved(rows), rows.get_column("period").unique())
    key = ["metric_id", "department_id", "slot", "employee_id"]

    assert (packing.packs, packing.packs_employee) == expected
    assert_frame_equal(
        back(individual_periods(moved(rows), moved(kinds))).drop("part").sort(key),
        individual_periods(rows, kinds).drop("part").sort(key),
    )
    assert_frame_equal(back(top_performers(moved(rows), moved(kinds))), top_performers(rows, kinds))
    assert_frame_equal(
        back(drivers(moved(rows), moved(staff), moved(kinds))),
        drivers(rows, staff, kinds),
        check_row_order=False,
    )
