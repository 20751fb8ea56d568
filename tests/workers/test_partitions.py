"""Which periods a recompute of some months reads and rewrites."""

from __future__ import annotations

import pytest

from domain.periods import PeriodError
from workers.partitions import Periods


def test_no_periods_means_every_period_everywhere():
    assert Periods.of(None) == Periods(None, None, None, None, None)


def test_a_month_in_the_middle_of_a_quarter():
    periods = Periods.of(["2026-05"])

    assert periods.values == ["2026-05"]
    # the month, the month whose "previous" it is, its quarter and the quarter after
    assert periods.gaps == ["2026-05", "2026-06", "2026-Q2", "2026-Q3"]
    assert periods.details == ["2026-05", "2026-Q2"]
    assert periods.observed == ["2026-04", "2026-05", "2026-06"]  # drivers of Q2 need all of it
    assert periods.context == [
        *(f"2026-{month:02d}" for month in range(1, 10)),
        "2026-Q1", "2026-Q2", "2026-Q3",
    ]  # fmt: skip


def test_the_last_month_of_a_year_reaches_into_the_next():
    periods = Periods.of(["2026-12"])

    assert periods.gaps == ["2026-12", "2026-Q4", "2027-01", "2027-Q1"]
    assert periods.context[-3:] == ["2026-Q3", "2026-Q4", "2027-Q1"]
    assert "2027-03" in periods.context and "2026-07" in periods.context


def test_a_quarter_stands_for_its_months():
    assert Periods.of(["2026-Q1"]).values == ["2026-01", "2026-02", "2026-03"]
    assert Periods.of(["2026-Q1"]).details == ["2026-01", "2026-02", "2026-03", "2026-Q1"]


def test_a_malformed_period_is_refused_with_what_is_expected():
    with pytest.raises(PeriodError, match="expected YYYY-MM"):
        Periods.of(["2026-13"])


def test_an_unknown_part_is_refused_before_anything_is_read(engine):
    from workers.rebuild import rebuild

    with pytest.raises(ValueError, match="unknown part 'metric'"):
        rebuild(engine, None, part="metric")
