"""Salon ratings: an attendee rates a held salon once and may change it; nobody else rates."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.growth.ratings import rate_salon
from domain.jobs import PROGRAMME_METRICS
from domain.models import Job, SalonRating, SalonStatus
from tests.api import org
from tests.support.growth import make_salon


@pytest.fixture
def people(engine):
    return org.build(engine)


def rate(engine, salon, rater, score, comment=None):
    with session_scope(engine) as session:
        rated = rate_salon(session, salon, rater, score, comment)
        return rated.job.id


def ratings(engine) -> list[tuple]:
    with Session(engine) as session:
        rows = session.exec(select(SalonRating).order_by(SalonRating.employee_id)).all()
        return [(r.salon_id, r.employee_id, r.score, r.comment) for r in rows]


def test_an_attendee_rates_once_and_may_change_it(engine, people):
    salon = make_salon(engine, month="2026-10", department="PROD", attendees=("P1", "P2"))

    job_id = rate(engine, salon, people["P2"], 4, "  useful  ")
    rate(engine, salon, people["P2"], 2)

    assert ratings(engine) == [(salon, people["P2"], 2, None)]
    with Session(engine) as session:
        job = session.get(Job, job_id)
    assert (job.actor, job.args) == (PROGRAMME_METRICS, {"periods": ["2026-10"]})


@pytest.mark.parametrize("score", [0, 6, -1, True, 3.5])
def test_a_score_outside_one_to_five_is_refused(engine, people, score):
    salon = make_salon(engine, month="2026-10", department="PROD", attendees=("P2",))

    with pytest.raises(InvalidArgument) as refused:
        rate(engine, salon, people["P2"], score)

    assert refused.value.field == "score" and "from 1 to 5" in str(refused.value)
    assert ratings(engine) == []


def test_who_did_not_attend_cannot_rate_and_learns_nothing_of_the_salon(engine, people):
    held = make_salon(engine, month="2026-10", department="PROD", attendees=("P2",), participants=("P1",))
    planned = make_salon(engine, month="2026-11", department="PROD", status=SalonStatus.SCHEDULED)

    answers = []
    for salon, rater in (
        (held, people["P1"]),
        (planned, people["P1"]),
        (999_999, people["P1"]),
        (held, None),
    ):
        with pytest.raises(InvalidArgument) as refused:
            rate(engine, salon, rater, 5)
        answers.append(str(refused.value).replace(str(salon), "N"))

    assert set(answers) == {
        "salon_id: only the people who attended salon N rate it, and you are not among them"
    }
    assert ratings(engine) == []


def test_a_long_comment_is_refused(engine, people):
    salon = make_salon(engine, month="2026-10", department="PROD", attendees=("P2",))

    with pytest.raises(InvalidArgument) as refused:
        rate(engine, salon, people["P2"], 5, "x" * 1001)

    assert refused.value.field == "comment"
