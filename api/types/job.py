from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from api.context import Info
from api.types.enums import JobStatus
from api.types.node import Node
from domain import models
from domain.job_repair import warning_of


@strawberry.type(description="A background computation and where it is.")
class Job(Node):
    id: strawberry.ID = strawberry.field(description="The job's id (a UUID, global on its own).")
    kind: str = strawberry.field(
        description="The actor that runs it: recompute, plan_month, summarise_data, …."
    )
    status: JobStatus = strawberry.field(description="Where it is.")
    attempts: int = strawberry.field(description="How many times a worker has started it.")
    error: str | None = strawberry.field(
        description="Why it failed (or why its last attempt did, while it waits for a retry); a "
        "message the broker gave up on (dead-lettered) says so here."
    )
    result: JSON | None = strawberry.field(description="What it produced (counts, ids), once it succeeded.")
    warning: str | None = strawberry.field(
        description="What went wrong in a job that still SUCCEEDED — plugins that failed while planning "
        "(`result.problems` has each) — or null."
    )
    created_at: datetime = strawberry.field(description="When it was asked for.")
    started_at: datetime | None = strawberry.field(description="When a worker last started it.")
    finished_at: datetime | None = strawberry.field(description="When it succeeded or failed.")
    parent_id: strawberry.ID | None = strawberry.field(
        description="The job this one is a part of (a large recompute fans out into parts), or null."
    )

    async def _part_rows(self, info: Info) -> list[models.Job]:
        return await info.context.loaders.jobs_by_parent_id.load(str(self.id))

    @strawberry.field(description="The parts this job fanned out into, in the order they were created.")
    async def parts(self, info: Info) -> list[Job]:
        return [Job.from_row(row) for row in await self._part_rows(info)]

    @strawberry.field(description="The job this one is a part of, or null.")
    async def parent(self, info: Info) -> Job | None:
        if self.parent_id is None:
            return None
        row = await info.context.loaders.job_by_id.load(str(self.parent_id))
        return Job.from_row(row) if row else None

    async def _progress(self, info: Info) -> tuple[int, int]:
        rows = await self._part_rows(info)
        return sum(row.status == models.JobStatus.SUCCEEDED for row in rows), len(rows)

    @strawberry.field(
        description="Parts this job fanned out into, each its own message; 0 when it ran whole."
    )
    async def parts_total(self, info: Info) -> int:
        return (await self._progress(info))[1]

    @strawberry.field(description="Parts that succeeded so far.")
    async def parts_done(self, info: Info) -> int:
        return (await self._progress(info))[0]

    @strawberry.field(
        description="How far along, 0..1: 1 when succeeded; else the share of its parts done (0 without parts)."
    )
    async def progress(self, info: Info) -> float:
        if self.status == JobStatus.SUCCEEDED:
            return 1.0
        done, total = await self._progress(info)
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
            warning=warning_of(row.result),
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            parent_id=strawberry.ID(row.parent_id) if row.parent_id else None,
        )
