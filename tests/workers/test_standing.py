"""A person's standing on hand-made individual figures: average, rank with ties, both directions."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from tests.support.frames import metrics, observations
from workers.analytics.individual import individual_periods
from workers.analytics.periods import slot_period
from workers.analytics.standing import STANDING_SCHEMA, standings

SALES, ERRORS, RATE = 1, 2, 3  # higher, lower is better; a ratio


def october(*rows) -> pl.DataFrame:
    """Individual figures of 2026-10 (the month slot) from observation rows."""
    kinds = metrics((SALES, "higher", "sum"), (ERRORS, "lower", "mean"), (RATE, "higher", "ratio"))
    found = individual_periods(observations(*rows), kinds)
    return found.filter(slot_period(pl.col("slot")) == "2026-10")


def test_the_average_and_a_rank_where_two_share_a_place():
    # sales (higher): 10, 8, 8, 5 → ranks 1, 2, 2, 4; average 31 / 4 = 7.75
    rows = [(SALES, e, "2026-10", v, None, None) for e, v in ((1, 10.0), (2, 8.0), (3, 8.0), (4, 5.0))]

    found = {e: standings(october(*rows), e).row(0, named=True) for e in (1, 2, 3, 4)}

    assert [found[e]["rank"] for e in (1, 2, 3, 4)] == [1, 2, 2, 4]
    assert found[4] == {"metric_id": SALES, "people": 4, "department_average": 7.75, "value": 5.0, "rank": 4}


def test_lower_is_better_ranks_the_smallest_first_and_a_ratio_is_each_persons_own():
    rows = [
        (ERRORS, 1, "2026-10", 0.03, None, None),
        (ERRORS, 2, "2026-10", 0.01, None, None),
        (ERRORS, 3, "2026-10", 0.02, None, None),
        (RATE, 1, "2026-10", 0.5, 5.0, 10.0),  # 5 of 10
        (RATE, 2, "2026-10", 0.2, 2.0, 10.0),  # 2 of 10
        (RATE, 3, "2026-10", 0.9, 90.0, 100.0),  # 90 of 100
    ]

    found = standings(october(*rows), 1)

    expected = pl.DataFrame(
        # errors: 0.03 is the worst of three; the mean of 0.03, 0.01, 0.02 is 0.02
        # rate: people's own ratios 0.5, 0.2, 0.9 (mean 1.6 / 3), not the pooled 97 / 120
        [(ERRORS, 3, 0.02, 0.03, 3), (RATE, 3, 1.6 / 3, 0.5, 2)],
        schema=STANDING_SCHEMA,
        orient="row",
    )
    assert_frame_equal(found, expected)


def test_without_a_value_of_their_own_a_person_still_sees_the_department():
    rows = [(SALES, 2, "2026-10", 8.0, None, None), (SALES, 3, "2026-10", 6.0, None, None)]

    found = standings(october(*rows), 1).row(0, named=True)

    assert found == {"metric_id": SALES, "people": 2, "department_average": 7.0, "value": None, "rank": None}


def test_a_value_that_is_not_finite_is_no_ones_standing():
    rows = [(SALES, 1, "2026-10", float("nan"), None, None), (SALES, 2, "2026-10", 4.0, None, None)]

    found = standings(october(*rows), 1).row(0, named=True)

    assert (found["people"], found["value"], found["rank"], found["department_average"]) == (
        1,
        None,
        None,
        4.0,
    )
