from __future__ import annotations

from datetime import date

import pytest

from domain.periods import Period, PeriodError


@pytest.mark.parametrize("text", ["2026-03", "2026-12", "2026-Q1", "2026-Q4"])
def test_valid_periods_round_trip(text):
    assert str(Period.parse(text)) == text


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "2026-Q5", "2026-3", "26-03", "2026/03", "", "2026-q1"]
)
def test_invalid_periods_say_what_is_expected(text):
    with pytest.raises(PeriodError, match="expected YYYY-MM"):
        Period.parse(text)


def test_previous_period_keeps_the_grain_and_crosses_years():
    assert str(Period.parse("2026-01").previous()) == "2025-12"
    assert str(Period.parse("2026-07").previous()) == "2026-06"
    assert str(Period.parse("2026-Q1").previous()) == "2025-Q4"
    assert str(Period.parse("2026-Q3").previous()) == "2026-Q2"


def test_quarters_cover_their_months():
    q3 = Period.parse("2026-Q3")

    assert [str(m) for m in q3.months()] == ["2026-07", "2026-08", "2026-09"]
    assert str(Period.parse("2026-08").quarter_of()) == "2026-Q3"
    assert (q3.start(), q3.end()) == (date(2026, 7, 1), date(2026, 9, 30))
    assert Period.parse("2024-02").end() == date(2024, 2, 29)


def test_next_period_keeps_the_grain_crosses_years_and_undoes_previous():
    assert str(Period.parse("2025-12").next()) == "2026-01"
    assert str(Period.parse("2026-06").next()) == "2026-07"
    assert str(Period.parse("2025-Q4").next()) == "2026-Q1"
    assert str(Period.parse("2026-Q2").next()) == "2026-Q3"
    for text in ("2026-01", "2026-12", "2026-Q1", "2026-Q4"):
        assert Period.parse(text).next().previous() == Period.parse(text)
