"""Secondary suppression of a gap's drivers: no small segment, and nothing to subtract it from."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from domain.disclosure import MIN_SEGMENT, OTHER, ShownDriver, disclose, rounded


@dataclass
class Row:
    dimension: str
    segment: str
    share: float
    people: int


def shown(rows: list[Row]) -> list[tuple[str, str, float]]:
    return [(d.dimension, d.segment, d.share) for d in disclose(rows)]


def test_one_small_segment_is_merged_with_the_smallest_other_so_it_cannot_be_subtracted():
    rows = [
        Row("team", "A", 0.50, 20),
        Row("team", "B", 0.32, 8),
        Row("team", "C", 0.18, 2),  # two people: hidden
    ]

    assert shown(rows) == [("team", "A", 0.5), ("team", OTHER, 0.5)]  # B covers C


def test_two_small_segments_under_five_people_together_take_a_shown_one_along():
    rows = [
        Row("team", "A", 0.41, 30),
        Row("team", "B", 0.33, 12),
        Row("team", "C", 0.10, 6),
        Row("team", "D", 0.09, 2),
        Row("team", "E", 0.07, 1),
    ]

    result = shown(rows)

    assert result == [("team", "A", 0.4), ("team", "B", 0.35), ("team", OTHER, 0.25)]
    assert sum(r.people for r in rows if r.segment in "CDE") >= MIN_SEGMENT


def test_small_segments_of_five_people_together_make_the_other_segment_alone():
    rows = [
        Row("team", "A", 0.60, 20),
        Row("team", "B", 0.25, 3),
        Row("team", "C", 0.15, 2),
    ]

    assert shown(rows) == [("team", "A", 0.6), ("team", OTHER, 0.4)]


def test_a_complement_carrying_nothing_is_passed_over_for_one_that_carries_something():
    rows = [
        Row("team", "A", 0.0, 6),  # merging A alone would leave "other" = C's share
        Row("team", "B", 0.7, 40),
        Row("team", "C", 0.3, 2),
    ]

    assert shown(rows) == [("team", OTHER, 1.0), ("team", "A", 0.0)]  # B covers C, not A


def test_small_and_large_tenure_merge_into_everyone_and_the_dimension_is_left_out():
    rows = [
        Row("tenure", "experienced", 0.4, 30),
        Row("tenure", "new_hire", 0.6, 3),
        Row("team", "A", 0.55, 18),
        Row("team", "B", 0.45, 15),
    ]

    assert shown(rows) == [("team", "A", 0.55), ("team", "B", 0.45)]


def test_a_persons_own_share_is_never_shown_and_large_segments_are_only_rounded():
    rows = [
        Row("employee", "E0001", 0.2, 1),
        Row("tenure", "experienced", 0.634, 12),
        Row("tenure", "new_hire", 0.366, 5),
    ]

    assert disclose(rows) == [
        ShownDriver("tenure", "experienced", 0.65),
        ShownDriver("tenure", "new_hire", 0.35),
    ]


@pytest.mark.parametrize(
    ("share", "expected"), [(0.0, 0.0), (0.024, 0.0), (0.025, 0.05), (0.149, 0.15), (0.974, 0.95), (1.0, 1.0)]
)
def test_shares_are_rounded_to_five_points(share, expected):
    assert rounded(share) == expected
