"""Answers to salon invitations, as HR and the salon's managers read them (``Salon.rsvps``), and as
the person who answered reads their own."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from api.context import Info
from api.types.employee import Employee
from api.types.salon import SalonRole
from domain import models
from domain.notifications import rsvp


@strawberry.enum(description="An answer to a salon invitation.")
class RsvpResponse(Enum):
    ACCEPTED = strawberry.enum_value(models.RsvpResponse.ACCEPTED.value, description="Will come.")
    DECLINED = strawberry.enum_value(models.RsvpResponse.DECLINED.value, description="Will not come.")
    TENTATIVE = strawberry.enum_value(models.RsvpResponse.TENTATIVE.value, description="May come.")


@strawberry.type(description="Someone invited to a salon and their answer (null: not answered yet).")
class Rsvp:
    name: str = strawberry.field(description="Their name.")
    role: SalonRole = strawberry.field(description="Presenter or participant.")
    response: RsvpResponse | None = strawberry.field(
        description="Their answer; null when they have not answered."
    )
    note: str | None = strawberry.field(description="What they added to their answer.")
    responded_at: datetime | None = strawberry.field(description="When they answered.")
    row: strawberry.Private[models.Employee]

    @strawberry.field(description="Their record, for those who may see it (HR, their managers, themselves).")
    def employee(self, info: Info) -> Employee | None:
        if not info.context.viewer.sees_employee(self.row.id, self.row.department_id):
            return None
        return Employee.from_row(self.row)

    @classmethod
    def of(cls, invitation: models.SalonInvitation, person: models.Employee) -> Rsvp:
        return cls(
            name=person.name,
            role=SalonRole.PRESENTER if invitation.presenter else SalonRole.PARTICIPANT,
            response=RsvpResponse(invitation.response) if invitation.response else None,
            note=invitation.note,
            responded_at=invitation.responded_at,
            row=person,
        )


def may_read_all(info: Info, department_ids: list[int]) -> bool:
    """HR, and the managers of a department that attends (those who see its people)."""
    viewer = info.context.viewer
    return viewer.is_admin or any(viewer.sees_individuals_of(d) for d in department_ids)


async def salon_rsvps(info: Info, salon_id: int, department_ids: list[int]) -> list[Rsvp]:
    """Everyone's answers for HR and the attending departments' managers; a person's own answer
    for anyone else invited; nothing for services. Reading others' answers is audited."""
    viewer = info.context.viewer
    if not viewer.sees_salon_people:
        return []
    everyone = may_read_all(info, department_ids)
    if not everyone and viewer.employee_row_id is None:
        return []
    mine = None if everyone else viewer.employee_row_id
    rows = await info.context.read(lambda session: rsvp.answers(session, salon_id, mine))
    others = sorted(p.employee_id for _, p in rows if p.id != viewer.employee_row_id)
    if others:
        info.context.audit("read:Salon.rsvps", f"salon:{salon_id}")
    for employee_id in others:
        info.context.audit("read:Salon.rsvps", f"employee:{employee_id}")
    return [Rsvp.of(invitation, person) for invitation, person in rows]
