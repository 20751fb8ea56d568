"""Individual-level data: appraisal scores, growth records and feedback."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.context import Info
from api.types.growth import ContributionKind
from api.types.metric import Metric
from domain import models
from domain.periods import Period

if TYPE_CHECKING:
    from api.types.employee import Employee
    from api.types.salon import Salon


@strawberry.type(description="An appraisal score in a cycle.")
class Review:
    cycle: str
    score: float


@strawberry.type(description="One entry of an employee's growth archive.")
class GrowthRecord:
    id: strawberry.ID
    date: date
    kind: str = strawberry.field(
        description="training, skill_assessment, growth_wish, salon_contribution, award or promotion."
    )
    skill: str | None
    score: float | None
    note: str | None
    contribution: ContributionKind | None = strawberry.field(
        description="What they did in a salon, for a contribution recorded here (imported records have none)."
    )
    points: float = strawberry.field(
        description="The appraisal points it earns (fixed when recorded; 0 for anything but a contribution)."
    )
    salon_id: strawberry.Private[int | None]

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
        self, info: Info, locale: str | None = None
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
    text: str
    themes: list[str]
    period: Period
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

    @strawberry.field
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
