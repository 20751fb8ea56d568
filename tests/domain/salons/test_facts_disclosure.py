"""What the planner hands to formats about drivers is what the whole department may see: a salon's
questions and charts reach every attendee, so no small group's share may reach them."""

from __future__ import annotations

from sqlmodel import Session, select

from domain.disclosure import MIN_SEGMENT, OTHER
from domain.models import GapDriver
from domain.periods import Period
from domain.salons.facts import load_facts


def test_planning_facts_carry_no_small_segment_and_no_persons_share(computed_demo):
    period = Period.parse("2026-Q3")
    with Session(computed_demo) as session:
        stored = session.exec(select(GapDriver).where(GapDriver.period == str(period))).all()
        facts = load_facts(session, Period.parse("2026-11"), period)

    assert any(d.people < MIN_SEGMENT and d.dimension != "employee" for d in stored)  # the case exists
    assert facts.drivers, "the demo's gaps have drivers"
    assert all(d.people >= MIN_SEGMENT for d in facts.drivers)
    assert all(d.dimension != "employee" for d in facts.drivers)
    assert all(round(d.share * 20, 6).is_integer() for d in facts.drivers)  # rounded to 5 points
    merged = [d for d in facts.drivers if d.segment == OTHER]
    assert merged and all(d.people >= MIN_SEGMENT for d in merged)
