from __future__ import annotations

from datetime import date

import pytest

from domain.periods import Period, PeriodError, kpi_period


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


# --- halves and years: appraisal cycles and the programme's periods -------------------------


@pytest.mark.parametrize("text", ["2026", "2026-H1", "2026-H2", "2026-Q4", "2026-10"])
def test_every_cycle_form_round_trips_through_parse_any(text):
    assert str(Period.parse_any(text)) == text


@pytest.mark.parametrize("text", ["2026", "2026-H1", "2026-H2"])
def test_parse_keeps_refusing_halves_and_years_where_kpis_are_read(text):
    with pytest.raises(PeriodError, match="expected YYYY-MM"):
        Period.parse(text)


@pytest.mark.parametrize("text", ["2026-H3", "2026-H0", "2026-h1", "26", "2026-", "2026-Q5", "20261"])
def test_parse_any_names_every_form_it_takes(text):
    with pytest.raises(PeriodError, match="YYYY-Hn"):
        Period.parse_any(text)


def test_halves_and_years_cover_their_months_and_days():
    h1, h2, year = Period.parse_any("2026-H1"), Period.parse_any("2026-H2"), Period.parse_any("2024")

    assert [str(m) for m in h2.months()] == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
    assert (h1.start(), h1.end()) == (date(2026, 1, 1), date(2026, 6, 30))
    assert (h2.start(), h2.end()) == (date(2026, 7, 1), date(2026, 12, 31))
    assert (year.start(), year.end()) == (date(2024, 1, 1), date(2024, 12, 31))
    assert len(year.months()) == 12
    assert (h1.grain, h2.grain, year.grain) == ("half", "half", "year")


def test_halves_and_years_step_within_their_grain():
    assert str(Period.parse_any("2026-H1").previous()) == "2025-H2"
    assert str(Period.parse_any("2025-H2").next()) == "2026-H1"
    assert str(Period.parse_any("2026").previous()) == "2025"
    assert str(Period.parse_any("2026").next()) == "2027"


def test_a_period_contains_the_periods_inside_it():
    h2 = Period.parse_any("2026-H2")

    assert h2.contains(Period.parse("2026-Q4"))
    assert h2.contains(Period.parse("2026-07"))
    assert not h2.contains(Period.parse("2026-06"))
    assert Period.parse_any("2026").contains(h2)
    assert not Period.parse("2026-Q3").contains(h2)


def test_a_quarter_of_a_half_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="several quarters"):
        Period.parse_any("2026-H1").quarter_of()


def test_kpi_period_refuses_halves_and_years_naming_the_field():
    assert kpi_period(Period.parse("2026-Q2")) == Period.parse("2026-Q2")
    with pytest.raises(PeriodError) as refused:
        kpi_period(Period.parse_any("2026-H1"), "period")
    assert refused.value.field == "period"
    assert "is a half" in str(refused.value)
