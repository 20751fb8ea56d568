"""Pure pieces of the policy: mixed groups, topic ranking, which data plans which month."""

from __future__ import annotations

import pytest

from domain.periods import Period
from domain.salons.grouping import group_count, mixed_groups
from domain.salons.periods import data_period
from domain.salons.topics import growth_severity, rank_topics
from plugins import GROWTH, SHORTFALL
from plugins.facts import GrowthNeedFacts
from tests.support.salon_facts import employee, gap


@pytest.mark.parametrize(
    ("people", "groups"), [(0, 0), (3, 1), (7, 1), (8, 2), (12, 2), (13, 3), (90, 15), (91, 16)]
)
def test_group_count_keeps_groups_between_4_and_6(people, groups):
    assert group_count(people) == groups
    if people >= 8:
        assert 4 * groups <= people <= 6 * groups


def test_groups_mix_tenure_and_spread_scores():
    staff = [employee(f"N{i}", "D", 30, 60 + i) for i in range(3)] + [
        employee(f"E{i}", "D", 1000, 50 + 10 * i) for i in range(10)
    ]

    groups = mixed_groups(staff)

    assert sorted(map(len, groups)) == [4, 4, 5]
    assert sorted(p for g in groups for p in g) == sorted(e.employee_id for e in staff)
    for group in groups:
        assert any(p.startswith("N") for p in group) and any(p.startswith("E") for p in group)
    best_experienced = ["E9", "E8", "E7"]  # dealt one to each group first
    assert all(len(set(best_experienced) & set(g)) == 1 for g in groups)


def test_unscored_people_are_dealt_last_and_deterministically():
    staff = [employee(f"E{i}", "D", 1000, None if i % 2 else 70.0) for i in range(8)]

    assert mixed_groups(staff) == mixed_groups(list(reversed(staff)))


def test_topics_rank_shortfalls_and_growth_needs_by_severity():
    gaps = [
        gap("D", "a", 90, 100, -0.05, 12.0),
        gap("D", "b", 100, 100, 0.01, 0.0),  # on target and improving: no topic
        gap("D", "c", 70, 100, -0.2, 50.0),
    ]
    needs = [GrowthNeedFacts("D", "2026-Q3", "craft", 0.3, 15, 50, "a", 90.0)]

    topics = rank_topics(gaps, needs, {"a": "craft"})

    assert [(t.kind, t.metric_code) for t in topics] == [(SHORTFALL, "c"), (GROWTH, "a"), (SHORTFALL, "a")]
    assert (
        topics[1].severity
        == growth_severity(0.3, 15)
        == pytest.approx(30 * (1 + 2.772588722 / 5.303304908), abs=1e-3)
    )
    assert topics[2].skill == "craft"


@pytest.mark.parametrize(
    ("month", "data", "expected"),
    [
        ("2026-11", ["2026-07", "2026-08", "2026-09", "2026-10"], "2026-Q3"),
        ("2026-10", ["2026-07", "2026-08", "2026-09", "2026-10"], "2026-Q3"),  # October itself is not before
        ("2026-09", ["2026-07", "2026-08", "2026-09"], "2026-08"),  # no complete quarter before: latest month
        ("2026-11", ["2026-01", "2026-02", "2026-03", "2026-08", "2026-09"], "2026-Q1"),
        ("2026-01", ["2026-01", "2026-02"], None),
    ],
)
def test_planning_uses_the_latest_complete_quarter_before_the_month(month, data, expected):
    found = data_period(Period.parse(month), data)

    assert (str(found) if found else None) == expected
