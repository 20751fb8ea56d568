"""The latest quarter a client can ask ``gaps`` for without comparing part of a quarter."""

from __future__ import annotations

from domain.periods import Period, latest_complete_quarter


def months(*texts: str) -> set[Period]:
    return {Period.parse(text) for text in texts}


def test_a_quarter_missing_its_middle_month_is_not_complete():
    given = months("2026-01", "2026-02", "2026-03", "2026-04", "2026-06", "2026-07")
    assert latest_complete_quarter(given) == Period.parse("2026-Q1")


def test_nothing_complete_is_none():
    assert latest_complete_quarter(months("2026-10", "2026-11")) is None
    assert latest_complete_quarter(set()) is None
