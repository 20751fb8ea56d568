from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from api.types.enums import JobStatus
from domain import models


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
        )
