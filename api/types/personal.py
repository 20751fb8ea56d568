"""Individual-level data: appraisal scores, growth records and feedback."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.context import Info
from api.locale import LOCALE_ARGUMENT
from api.types.enums import GrowthKind
from api.types.growth import ContributionKind
from api.types.metric import Metric
from domain import models
from domain.periods import Period

if TYPE_CHECKING:
    from api.types.employee import Employee
    from api.types.salon import Salon


@strawberry.type(description="An appraisal score in a cycle.")
class Review:
    cycle: str = strawberry.field(description="The appraisal cycle.")
    score: float = strawberry.field(description="The score.")


@strawberry.type(description="One entry of an employee's growth archive.")
class GrowthRecord:
    id: strawberry.ID = strawberry.field(description="The record's id.")
    date: date = strawberry.field(description="When it happened.")
    kind: str = strawberry.field(
        description="The kind as a code: training, skill_assessment, growth_wish, salon_contribution, award or promotion.",
        deprecation_reason="Use `growthKind` (an enum).",
    )
    skill: str | None = strawberry.field(description="The skill concerned, if any.")
    score: float | None = strawberry.field(description="A score (assessments), if any.")
    note: str | None = strawberry.field(description="A free-text note, if any.")
    contribution: ContributionKind | None = strawberry.field(
        description="What they did in a salon, for a contribution recorded here (imported records have none)."
    )
    points: float = strawberry.field(
        description="The appraisal points it earns (fixed when recorded; 0 for anything but a contribution)."
    )
    salon_id: strawberry.Private[int | None]

    @strawberry.field(description="The kind, as an enum.")
    def growth_kind(self) -> GrowthKind:
        return GrowthKind(self.kind)

    @classmethod
    def from_row(cls, row: models.GrowthRecord) -> GrowthRecord:
        return cls(
            id=strawberry.ID(str(row.id)),
            date=row.date,
            kind=row.kind,
            skill=row.skill or None,
            score=row.score,
            note=row.note,
            contribution=ContributionKind(row.contribution) if row.contribution else None,
            points=row.points,
            salon_id=row.salon_id,
        )

    @strawberry.field(description="The salon it was made at, when the viewer may see that salon.")
    async def salon(
        self, info: Info, locale: LOCALE_ARGUMENT = None
    ) -> Annotated[Salon, strawberry.lazy("api.types.salon")] | None:
        from api.types.salon import Salon

        if self.salon_id is None:
            return None
        found = await info.context.loaders.growth.salon_by_id.load(self.salon_id)
        if found is None:
            return None
        row, department_ids = found
        return Salon.of(row, department_ids, info.context.locale(locale), info.context.formats)


@strawberry.type(description="Feedback with its themes; its author only where the viewer may know it.")
class Feedback:
    text: str = strawberry.field(description="The feedback's text.")
    themes: list[str] = strawberry.field(description="Its theme tags.")
    period: Period = strawberry.field(description="The period it is about.")
    metric_id: strawberry.Private[int | None]
    author_id: strawberry.Private[int | None]
    department_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Feedback) -> Feedback:
        return cls(
            text=row.text,
            themes=list(row.themes),
            period=Period.parse(row.period),
            metric_id=row.metric_id,
            author_id=row.employee_id,
            department_id=row.department_id,
        )

    @strawberry.field(description="The metric it is tied to, if any.")
    async def metric(self, info: Info) -> Metric | None:
        if self.metric_id is None:
            return None
        return Metric.from_row(await info.context.loaders.metric_by_id.load(self.metric_id))

    @strawberry.field(
        description="Null when anonymous (always), and for everyone but HR admins and the managers of "
        "the feedback's department."
    )
    async def author(self, info: Info) -> Annotated[Employee, strawberry.lazy("api.types.employee")] | None:
        from api.types.employee import Employee

        if self.author_id is None or not info.context.viewer.sees_feedback_author(self.department_id):
            return None
        row = await info.context.loaders.employee_by_id.load(self.author_id)
        return Employee.from_row(row) if row else None
