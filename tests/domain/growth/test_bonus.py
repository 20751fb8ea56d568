"""The appraisal bonus per cycle form, at the boundaries of a half-year, under the cap.

P2's contributions (the default policy: sharer 1, excellent sharer 2, problem solver 3):

| salon day | kind | points |
|---|---|---|
| 2026-06-30, the last day of H1 | sharer | 1 |
| 2026-07-01, the first day of H2 | problem solver | 3 |
| 2026-10-15 | excellent sharer and problem solver (one salon) | 2 + 3 |
| 2026-12-31 | sharer | 1 |
| 2027-01-01 | problem solver | 3 |
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.db import session_scope
from domain.growth.bonus import appraisal_bonus, bonuses, parse_cycle
from domain.growth.contributions import record_attendance_contributions, record_contribution
from domain.growth.points import Scorer
from domain.growth.policy import PointsPolicy, parse_policy
from domain.periods import PeriodError
from domain.vocabulary import ContributionKind as K
from tests.api import org
from tests.support.growth import make_salon

POLICY = PointsPolicy()


def at(year, month, day, hour=6) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def people(engine):
    ids = org.build(engine)
    given = [
        ("2026-06", at(2026, 6, 30, 10), [K.SHARER]),
        ("2026-07", at(2026, 7, 1, 2), [K.PROBLEM_SOLVER]),
        ("2026-10", at(2026, 10, 15), [K.EXCELLENT_SHARER, K.PROBLEM_SOLVER]),
        ("2026-12", at(2026, 12, 31, 20), [K.SHARER]),
        ("2027-01", at(2027, 1, 1), [K.PROBLEM_SOLVER]),
    ]
    for month, when, kinds in given:
        salon = make_salon(engine, month=month, department="PROD", attendees=("P2", "P1"), scheduled_at=when)
        with session_scope(engine) as session:
            for kind in kinds:
                record_contribution(
                    session, salon_id=salon, employee_id="P2", kind=kind, scorer=Scorer(POLICY)
                )
            if month == "2026-10":  # P1 and P2 attended: 0 points each
                record_attendance_contributions(session, salon, Scorer(POLICY))
    return ids


def bonus(engine, people, cycle, policy=POLICY, who="P2") -> float:
    with session_scope(engine) as session:
        return appraisal_bonus(session, people[who], parse_cycle(cycle), policy)


@pytest.mark.parametrize(
    ("cycle", "points"),
    [
        ("2026-06", 1.0),
        ("2026-Q2", 1.0),
        ("2026-H1", 1.0),  # the salon on its last day counts here …
        ("2026-07", 3.0),  # … and the one on the next day in H2
        ("2026-Q3", 3.0),
        ("2026-10", 5.0),
        ("2026-12", 1.0),
        ("2026-Q4", 5.0),  # 2 + 3 + 1 = 6, capped at 5
        ("2026-H2", 5.0),  # 3 + 5 + 1 = 9, capped
        ("2026", 5.0),  # 10, capped once for the year
        ("2027", 3.0),
        ("2027-H1", 3.0),
        ("2025", 0.0),
    ],
)
def test_the_bonus_of_every_cycle_form(engine, people, cycle, points):
    assert bonus(engine, people, cycle) == points


def test_without_the_cap_the_points_add_up(engine, people):
    generous = parse_policy({"cap": 20})

    assert bonus(engine, people, "2026-H2", generous) == 9.0
    assert bonus(engine, people, "2026", generous) == 10.0
    assert bonus(engine, people, "2026-Q4", generous) == 6.0


def test_the_bonus_lists_what_it_counts_and_whether_it_was_capped(engine, people):
    with session_scope(engine) as session:
        found = {b.employee_id: b for b in bonuses(session, parse_cycle("2026-Q4"), POLICY)}

    assert set(found) == {"P1", "P2"}
    assert (found["P1"].points, found["P1"].earned, found["P1"].capped) == (0.0, 0.0, False)  # attended
    p2 = found["P2"]
    assert (p2.points, p2.earned, p2.capped, p2.cycle) == (5.0, 6.0, True, "2026-Q4")
    assert [(str(c.date), c.kind, c.points, c.salon_month) for c in p2.contributions] == [
        ("2026-10-15", "attendee", 0.0, "2026-10"),
        ("2026-10-15", "excellent_sharer", 2.0, "2026-10"),
        ("2026-10-15", "problem_solver", 3.0, "2026-10"),
        ("2026-12-31", "sharer", 1.0, "2026-12"),
    ]


@pytest.mark.parametrize("cycle", ["2026-H3", "26", "2026/10", "H2-2026", ""])
def test_a_cycle_that_is_none_of_the_forms_is_refused_naming_the_field(cycle):
    with pytest.raises(PeriodError) as refused:
        parse_cycle(cycle)

    assert refused.value.field == "cycle"
    assert "YYYY-Hn" in str(refused.value)
