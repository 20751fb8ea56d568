from __future__ import annotations

from datetime import datetime

import strawberry

from domain import models


@strawberry.type(
    description="One request's mutations and reads of individual-level data, refused ones included."
)
class AuditEntry:
    at: datetime = strawberry.field(description="When the request ran.")
    actor: str = strawberry.field(description="Who asked: the token's role:subject.")
    actions: list[str] = strawberry.field(
        description="What the request did, distinct, in order: mutation:<field> (':refused'/':failed' "
        "appended when it did not succeed), read:<Type.field>, or denied:<Type.field>."
    )
    subjects: list[str] = strawberry.field(
        description="Whom the request's reads and mutations concerned, distinct: employee:<id>, department:<code>."
    )
    action: str = strawberry.field(description="`actions` joined by ', '.")
    target: str | None = strawberry.field(
        description="The subject when there is exactly one (employee:<id>, department:<code>), else null."
    )

    @classmethod
    def from_row(cls, row: models.AuditEntry) -> AuditEntry:
        return cls(
            at=row.at,
            actor=row.actor,
            actions=list(row.actions) or [row.action],  # rows written one per event have no lists
            subjects=list(row.subjects) or ([row.target] if row.target else []),
            action=row.action,
            target=row.target,
        )


@strawberry.type(description="What erasePersonalData changed.")
class Erasure:
    employee_id: str = strawberry.field(description="The employee whose data was erased.")
    pseudonym: str = strawberry.field(description="The employee's name from now on.")
    feedback_erased: int = strawberry.field(description="Feedback texts replaced by '[erased]'.")
    notes_erased: int = strawberry.field(description="Growth-record notes removed.")
