"""Personal-data rights: an employee's data as JSON (access), and pseudonymisation (erasure).

Erasure replaces what identifies a person — name, email, the text they wrote, free-text notes
and salon rating comments and answers, the notifications addressed to them (an invitation's calendar
names its attendee) — and keeps every number, date, theme tag and link: department values, gaps, drivers, themes
and growth needs come out exactly as before. The employee id stays (imports and history key
on it); the pseudonym is an HMAC of it, so it is stable but cannot be turned back into a name.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from domain.fingerprints import fingerprint_key, rekey_legacy
from domain.models import (
    Department,
    Employee,
    Feedback,
    GrowthRecord,
    Metric,
    Notification,
    Observation,
    Review,
    Salon,
    SalonInvitation,
    SalonRating,
    utcnow,
)

ERASED_TEXT = "[erased]"


@dataclass(frozen=True)
class Erasure:
    employee_id: str
    pseudonym: str
    feedback_erased: int
    notes_erased: int
    comments_erased: int = 0  # salon rating comments (their scores stay: only aggregates are shown)


def _employee(session: Session, employee_id: str) -> Employee | None:
    return session.exec(select(Employee).where(Employee.employee_id == employee_id)).first()


def export_personal_data(session: Session, employee_id: str) -> dict[str, Any] | None:
    """Everything stored about one employee, as JSON-ready values (None: no such employee)."""
    me = _employee(session, employee_id)
    if me is None:
        return None
    department = session.get(Department, me.department_id)
    manager = session.get(Employee, me.manager_id) if me.manager_id else None
    reviews = session.exec(
        select(Review).where(Review.employee_id == me.id).order_by(col(Review.cycle))
    ).all()
    feedback = session.exec(
        select(Feedback, Metric.code)
        .join(Metric, col(Metric.id) == col(Feedback.metric_id), isouter=True)
        .where(Feedback.employee_id == me.id)
        .order_by(col(Feedback.period), col(Feedback.fingerprint))  # keyed hash: not the file's order
    ).all()
    growth = session.exec(
        select(GrowthRecord).where(GrowthRecord.employee_id == me.id).order_by(col(GrowthRecord.date))
    ).all()
    ratings = session.exec(
        select(SalonRating).where(SalonRating.employee_id == me.id).order_by(col(SalonRating.salon_id))
    ).all()
    notifications = session.exec(
        select(Notification).where(Notification.employee_id == me.id).order_by(col(Notification.created_at))
    ).all()
    invitations = session.exec(
        select(SalonInvitation, Salon.month)
        .join(Salon, col(Salon.id) == col(SalonInvitation.salon_id))
        .where(SalonInvitation.employee_id == me.id)
        .order_by(col(Salon.month), col(Salon.id))
    ).all()
    observations = session.exec(
        select(Observation, Metric.code)
        .join(Metric, col(Metric.id) == col(Observation.metric_id))
        .where(Observation.employee_id == me.id)
        .order_by(col(Metric.code), col(Observation.period))
    ).all()
    return {
        "employee": {
            "employeeId": me.employee_id,
            "name": me.name,
            "email": me.email,
            "hireDate": me.hire_date.isoformat(),
            "department": department.code if department else None,
            "team": me.team,
            "level": me.level,
            "manager": manager.employee_id if manager else None,
            "erasedAt": me.erased_at.isoformat() if me.erased_at else None,
        },
        "reviews": [{"cycle": r.cycle, "score": r.score} for r in reviews],
        "feedback": [
            {"period": f.period, "metric": code, "text": f.text, "themes": list(f.themes)}
            for f, code in feedback
        ],
        "growth": [
            {
                "date": g.date.isoformat(),
                "kind": g.kind,
                "skill": g.skill or None,
                "score": g.score,
                "note": g.note,
                "contribution": g.contribution,
                "salon": g.salon_id,
                "points": g.points,
            }
            for g in growth
        ],
        "salonRatings": [
            {"salon": r.salon_id, "score": r.score, "comment": r.comment, "ratedAt": r.rated_at.isoformat()}
            for r in ratings
        ],
        "observations": [
            {
                "metric": code,
                "period": o.period,
                "value": o.value,
                "numerator": o.numerator,
                "denominator": o.denominator,
            }
            for o, code in observations
        ],
        "notifications": [
            {
                "kind": n.kind,
                "subject": n.subject,
                "text": n.text,
                "createdAt": n.created_at.isoformat(),
                "readAt": n.read_at.isoformat() if n.read_at else None,
            }
            for n in notifications
        ],
        "invitations": [
            {
                "salon": i.salon_id,
                "month": month,
                "presenter": i.presenter,
                "invited": i.active,
                "response": i.response,
                "note": i.note,
            }
            for i, month in invitations
        ],
    }


def pseudonym(secret: str, employee_id: str) -> str:
    digest = hmac.new(secret.encode(), f"erasure:{employee_id}".encode(), hashlib.sha256).hexdigest()
    return f"erased-{digest[:12]}"


def erase_personal_data(session: Session, employee_id: str, secret: str) -> Erasure | None:
    """Pseudonymise one employee in the caller's transaction (None: no such employee).

    Idempotent: erasing twice gives the same pseudonym and changes nothing more. ``erased_at``
    marks the person so that imports keep them erased (domain/importing/erasure.py). Feedback
    fingerprints stored unkeyed are keyed first: a plain hash of the text would let a guess of
    it be confirmed after the text is gone (domain/fingerprints.py).
    """
    me = _employee(session, employee_id)
    if me is None:
        return None
    rekey_legacy(session.connection(), fingerprint_key(secret))
    alias = pseudonym(secret, employee_id)
    me.name, me.email = alias, None
    me.erased_at = me.erased_at or utcnow()
    session.add(me)
    feedback = session.exec(
        update(Feedback)
        .where(col(Feedback.employee_id) == me.id, col(Feedback.text) != ERASED_TEXT)
        .values(text=ERASED_TEXT)
    )
    notes = session.exec(
        update(GrowthRecord)
        .where(col(GrowthRecord.employee_id) == me.id, col(GrowthRecord.note).is_not(None))
        .values(note=None)
    )
    session.exec(delete(Notification).where(col(Notification.employee_id) == me.id))  # and their deliveries
    session.exec(
        update(SalonInvitation)
        .where(col(SalonInvitation.employee_id) == me.id, col(SalonInvitation.note).is_not(None))
        .values(note=None)
    )
    comments = session.exec(
        update(SalonRating)
        .where(col(SalonRating.employee_id) == me.id, col(SalonRating.comment).is_not(None))
        .values(comment=None)
    )
    return Erasure(employee_id, alias, feedback.rowcount, notes.rowcount, comments.rowcount)
