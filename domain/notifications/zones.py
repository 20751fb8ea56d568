"""A department's time zone: its own, else its nearest ancestor's, else ``SALON_TIMEZONE``.

Read for the whole tree in one query: departments are few, and reminders and invitations for
many departments are worked out together.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from domain.models import Department


def department_zones(session: Session, default: str) -> dict[int, ZoneInfo]:
    """Every department's time zone by id."""
    rows = session.exec(select(Department.id, Department.parent_id, Department.timezone)).all()
    parents = {row_id: parent for row_id, parent, _ in rows}
    own = {row_id: zone for row_id, _, zone in rows if zone}
    found: dict[int, ZoneInfo] = {}
    for row_id in parents:
        current, seen = row_id, set()
        while current is not None and current not in own and current not in seen:
            seen.add(current)
            current = parents.get(current)
        found[row_id] = ZoneInfo(own.get(current, default) if current is not None else default)
    return found


def zone_of(session: Session, department_id: int, default: str) -> ZoneInfo:
    return department_zones(session, default).get(department_id, ZoneInfo(default))
