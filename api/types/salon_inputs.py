"""What people send about a salon: its outcome, and their edits."""

from __future__ import annotations

import strawberry

from domain.salons.content import AgendaEntry
from domain.salons.editing import SalonEdit
from domain.salons.lifecycle import OutcomeRecord


@strawberry.input(description="What a held salon concluded.")
class SalonOutcomeInput:
    conclusions: list[str] = strawberry.field(description="What the salon concluded.")
    attendee_ids: list[str] = strawberry.field(
        description="Employee ids of those who came: people of the salon's departments or its host."
    )
    adopted_practices: list[str] | None = strawberry.field(
        default_factory=list, description="What worked, to adopt: each becomes a practice."
    )
    notes: str | None = strawberry.field(default=None, description="Free notes, if any.")

    def to_domain(self) -> OutcomeRecord:
        return OutcomeRecord(
            conclusions=self.conclusions,
            attendee_ids=self.attendee_ids,
            adopted_practices=self.adopted_practices or [],
            notes=self.notes,
        )


@strawberry.input(description="One part of a salon's agenda.")
class AgendaItemInput:
    title: str = strawberry.field(description="What this part is.")
    minutes: int = strawberry.field(description="How long it takes.")


@strawberry.input(
    description="What to change in a proposed or scheduled salon; a field left out (or null) stays. "
    "Texts replace the planned ones in every language; the charts stay."
)
class SalonEditInput:
    title: str | None = strawberry.field(default=None, description="A new title; omitted keeps it.")
    agenda: list[AgendaItemInput] | None = strawberry.field(
        default=None, description="A new agenda; omitted keeps it."
    )
    questions: list[str] | None = strawberry.field(
        default=None, description="New questions; omitted keep them."
    )
    presenter_ids: list[str] | None = strawberry.field(
        default=None, description="Employee ids of the salon's departments or its host."
    )
    participant_ids: list[str] | None = strawberry.field(
        default=None, description="Employee ids of the salon's departments or its host; presenters aside."
    )
    groups: list[list[str]] | None = strawberry.field(
        default=None,
        description="Working groups of participants; left out, those no longer participants leave theirs.",
    )

    def to_domain(self) -> SalonEdit:
        return SalonEdit(
            title=self.title,
            agenda=None if self.agenda is None else [AgendaEntry(a.title, a.minutes) for a in self.agenda],
            questions=self.questions,
            presenter_ids=self.presenter_ids,
            participant_ids=self.participant_ids,
            groups=self.groups,
        )
