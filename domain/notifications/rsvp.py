"""Answers to invitations: someone invited to a scheduled salon accepts, declines or says
maybe, with an optional note; HR and the salon's managers read the answers (``api``)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from domain.errors import InvalidArgument
from domain.models import Employee, RsvpResponse, Salon, SalonInvitation, SalonStatus

NOTE_LIMIT = 500


def respond(
    session: Session,
    salon_id: int,
    employee_row_id: int,
    response: RsvpResponse,
    note: str | None,
    now: datetime,
) -> SalonInvitation:
    """Record the person's answer (a new answer replaces the last)."""
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_LIMIT:
        raise InvalidArgument(f"at most {NOTE_LIMIT} characters", field="note")
    salon = session.get(Salon, salon_id)
    invitation = session.get(SalonInvitation, (salon_id, employee_row_id), with_for_update=True)
    if salon is None or invitation is None or not invitation.active:
        raise InvalidArgument(f"you are not invited to salon {salon_id}", field="salon_id")
    if salon.status != SalonStatus.SCHEDULED:
        raise InvalidArgument(
            f"salon {salon_id} is {salon.status}: answers are for scheduled salons", field="salon_id"
        )
    invitation.response, invitation.note, invitation.responded_at = RsvpResponse(response).value, note, now
    session.add(invitation)
    return invitation


def answers(
    session: Session, salon_id: int, employee_row_id: int | None = None
) -> list[tuple[SalonInvitation, Employee]]:
    """Who is invited to the salon and what they answered, presenters first, then by employee id;
    with ``employee_row_id``, that person's only."""
    statement = (
        select(SalonInvitation, Employee)
        .join(Employee, col(Employee.id) == col(SalonInvitation.employee_id))
        .where(col(SalonInvitation.salon_id) == salon_id, col(SalonInvitation.active).is_(True))
    )
    if employee_row_id is not None:
        statement = statement.where(col(SalonInvitation.employee_id) == employee_row_id)
    rows = session.exec(statement).all()
    return sorted(rows, key=lambda pair: (not pair[0].presenter, pair[1].employee_id))
