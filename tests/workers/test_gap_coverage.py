"""Honest periods: a quarter with only some months says so, and a sum over part of a quarter is
compared with nothing (the STORE case: October alone against all of Q3)."""

from __future__ import annotations

from tests.support.frames import metrics
from tests.workers.test_gaps import NO_TARGETS, one, targets, values
from workers.analytics.gaps import gaps

Q3 = [
    (1, "2026-07", 280.0, None, None, 5),
    (1, "2026-08", 270.0, None, None, 5),
    (1, "2026-09", 286.0, None, None, 5),
]


def test_a_quarter_counts_its_months():
    frame = gaps(
        values(*Q3, (1, "2026-10", 298.0, None, None, 5)), metrics((1, "higher", "mean")), NO_TARGETS
    )
    q3, q4, october = one(frame, "2026-Q3"), one(frame, "2026-Q4"), one(frame, "2026-10")
    assert (q3["months_covered"], q3["complete"]) == (3, True)
    assert (q4["months_covered"], q4["complete"]) == (1, False)
    assert (october["months_covered"], october["complete"]) == (1, True)


def test_a_sum_over_part_of_a_quarter_is_not_compared():
    # given Q3 whole (836 hours) and only October of Q4 (298), with a 300-a-month target
    month_targets = targets(*((1, f"2026-{m:02d}", 300.0) for m in range(7, 13)))
    frame = gaps(
        values(*Q3, (1, "2026-10", 298.0, None, None, 5)), metrics((1, "higher", "sum")), month_targets
    )
    q4 = one(frame, "2026-Q4")
    # then Q4's 298 is not "worse than 836" nor "a third of a 900 target"
    assert q4["actual"] == 298.0
    assert (q4["previous"], q4["change"], q4["worsening"]) == (None, None, False)
    assert (q4["target"], q4["attainment"], q4["below_target"]) == (None, None, False)
    assert q4["severity"] == 0.0
    # while the complete Q3 keeps its target: 836 / 900
    assert one(frame, "2026-Q3")["attainment"] == 836.0 / 900.0


def test_a_whole_quarter_of_a_sum_is_not_compared_with_a_partial_one_before_it():
    frame = gaps(values((1, "2026-06", 100.0, None, None, 5), *Q3), metrics((1, "higher", "sum")), NO_TARGETS)
    q3 = one(frame, "2026-Q3")
    assert (q3["complete"], q3["previous"], q3["change"]) == (True, None, None)


def test_a_mean_over_part_of_a_quarter_keeps_its_comparison():
    frame = gaps(
        values(*Q3, (1, "2026-10", 298.0, None, None, 5)), metrics((1, "higher", "mean")), NO_TARGETS
    )
    q4 = one(frame, "2026-Q4")
    assert q4["previous"] == (280.0 + 270.0 + 286.0) / 3
    assert q4["change"] == 298.0 / ((280.0 + 270.0 + 286.0) / 3) - 1
    assert q4["complete"] is False
