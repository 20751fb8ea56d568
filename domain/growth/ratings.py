"""Salon ratings: an attendee scores a held salon 1 to 5, once, and may change it.

A rating is personal data. Nothing reads one back but the rater's own data export; the
programme shows only aggregates of enough of them (``workers.analytics.programme``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from domain.errors import InvalidArgument
from domain.growth.salons import attendee_ids, held_salon, programme_job
from domain.models import Job, Salon, SalonRating, utcnow

LOWEST, HIGHEST = 1, 5
COMMENT_LIMIT = 1000


@dataclass(frozen=True)
class Rated:
    salon: Salon
    job: Job  # the programme metrics job of the salon's month: send it after the commit


def rate_salon(
    session: Session, salon_id: int, rater_row: int | None, score: int, comment: str | None = None
) -> Rated:
    """Record (or change) ``rater_row``'s score of a held salon they attended."""
    if isinstance(score, bool) or not isinstance(score, int) or not LOWEST <= score <= HIGHEST:
        raise InvalidArgument(
            f"must be a whole number from {LOWEST} to {HIGHEST}, got {score!r}", field="score"
        )
    text = (comment or "").strip()
    if len(text) > COMMENT_LIMIT:
        raise InvalidArgument(f"at most {COMMENT_LIMIT} characters", field="comment")
    # attendance first: whoever did not attend learns nothing of the salon, not even its state
    if rater_row is None or rater_row not in attendee_ids(session, salon_id):
        raise InvalidArgument(
            f"only the people who attended salon {salon_id} rate it, and you are not among them",
            field="salon_id",
        )
    salon = held_salon(session, salon_id, None, "it can be rated")
    rating = session.get(SalonRating, (salon.id, rater_row), with_for_update=True)
    if rating is None:
        rating = SalonRating(salon_id=salon.id, employee_id=rater_row, score=score)
    rating.score, rating.comment, rating.rated_at = score, text or None, utcnow()
    session.add(rating)
    session.flush()
    return Rated(salon, programme_job(session, [salon.month]))
