from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from api.context import Info
from api.types.enums import JobStatus
from domain import jobs, models


@strawberry.type(description="A background computation and where it is.")
class Job:
    id: strawberry.ID
    kind: str = strawberry.field(description="The actor that runs it.")
    status: JobStatus
    attempts: int
    error: str | None
    result: JSON | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    parent_id: strawberry.ID | None = strawberry.field(
        description="The job this one is a part of (a large recompute fans out into parts), or null."
    )

    async def _parts(self, info: Info) -> tuple[int, int]:
        return await info.context.read(lambda session: jobs.progress(session, str(self.id)))

    @strawberry.field(
        description="Parts this job fanned out into, each its own message; 0 when it ran whole."
    )
    async def parts_total(self, info: Info) -> int:
        return (await self._parts(info))[1]

    @strawberry.field(description="Parts that succeeded so far.")
    async def parts_done(self, info: Info) -> int:
        return (await self._parts(info))[0]

    @strawberry.field(
        description="How far along, 0..1: 1 when succeeded; else the share of its parts done (0 without parts)."
    )
    async def progress(self, info: Info) -> float:
        if self.status == JobStatus.SUCCEEDED:
            return 1.0
        done, total = await self._parts(info)
        return done / total if total else 0.0

    @classmethod
    def from_row(cls, row: models.Job) -> Job:
        return cls(
            id=strawberry.ID(row.id),
            kind=row.actor,
            status=JobStatus(row.status),
            attempts=row.attempts,
            error=row.error,
            result=row.result,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            parent_id=strawberry.ID(row.parent_id) if row.parent_id else None,
        )
