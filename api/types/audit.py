from __future__ import annotations

from datetime import datetime

import strawberry

from domain import models


@strawberry.type(description="One mutation, or one read of individual-level data.")
class AuditEntry:
    at: datetime
    actor: str = strawberry.field(description="role:subject of the token used.")
    action: str = strawberry.field(
        description="mutation:<field> (':refused'/':failed' appended when it did not succeed), "
        "read:<Type.field>, or denied:<Type.field>."
    )
    target: str | None = strawberry.field(description="employee:<id>, department:<code>, or null.")

    @classmethod
    def from_row(cls, row: models.AuditEntry) -> AuditEntry:
        return cls(at=row.at, actor=row.actor, action=row.action, target=row.target)


@strawberry.type(description="What erasePersonalData changed.")
class Erasure:
    employee_id: str
    pseudonym: str = strawberry.field(description="The employee's name from now on.")
    feedback_erased: int = strawberry.field(description="Feedback texts replaced by '[erased]'.")
    notes_erased: int = strawberry.field(description="Growth-record notes removed.")
