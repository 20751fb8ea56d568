"""``charts.group_means``: a chart the whole room sees shows no group's mean of fewer than five people."""

from __future__ import annotations

from plugins.charts import group_means


def people(group: str, count: int, value: float, start: int = 0) -> list[tuple[str, str, float]]:
    return [(group, f"{group}{i}", value) for i in range(start, start + count)]


def test_groups_of_five_or_more_are_shown_with_their_mean_and_size():
    rows = group_means(people("A", 5, 1.0) + people("B", 6, 3.0) + [("B", "B0", 5.0)], "Other")

    assert rows == [
        {"group": "A", "value": 1.0, "people": 5},
        {"group": "B", "value": round((6 * 3.0 + 5.0) / 7, 4), "people": 6},
    ]


def test_small_groups_are_folded_with_the_smallest_shown_until_five():
    rows = group_means(people("A", 2, 10.0) + people("B", 5, 2.0) + people("C", 8, 4.0), "Other")

    # A alone (2) would be derivable from the department mean: B (the smallest shown) joins it
    assert rows == [
        {"group": "C", "value": 4.0, "people": 8},
        {"group": "Other", "value": round(30 / 7, 4), "people": 7},
    ]


def test_small_groups_that_make_five_together_need_no_complement():
    rows = group_means(people("A", 2, 1.0) + people("B", 3, 2.0) + people("C", 5, 3.0), "Other")

    assert rows == [{"group": "C", "value": 3.0, "people": 5}, {"group": "Other", "value": 1.6, "people": 5}]


def test_nothing_is_shown_when_every_group_is_folded():
    assert group_means(people("A", 2, 1.0) + people("B", 4, 2.0), "Other") == []
