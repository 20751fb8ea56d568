"""Live updates over ``graphql-transport-ws`` (the socket is authenticated by
:mod:`api.http.websocket`; the same viewer's scope rules apply as to queries).

How an update reaches this process: jobs run in worker processes (or another API process), so
nothing here is told of a change. Each subscription reads its row every :data:`POLL_SECONDS`
and sends the new state when it differs — one primary-key read per live subscription and
interval, the same in one process or many, with no broker or notification channel to keep
consistent. A change is seen within one interval.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import anyio
import strawberry

from api.context import Info
from api.locale import LOCALE_ARGUMENT
from api.salons import visible_salons_of
from api.tokens import Role
from api.types.job import Job
from api.types.salon import Salon
from domain import models
from domain.errors import NotFound
from domain.periods import Period

POLL_SECONDS = 1.0  # how soon a change is seen; each live subscription reads one row this often
FINISHED = frozenset({models.JobStatus.SUCCEEDED.value, models.JobStatus.FAILED.value})


@strawberry.type(description="Live updates over graphql-transport-ws (the token in `connection_init`).")
class Subscription:
    @strawberry.subscription(
        description="The job's state now and again each time it changes, until it has succeeded or "
        "failed (hr_admin only, as `job`). Changes are seen within about a second."
    )
    async def job_updated(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The job to follow.")],  # noqa: A002
    ) -> AsyncGenerator[Job, None]:
        info.context.viewer.require(Role.HR_ADMIN, action="reading jobs")
        last: Job | None = None
        while True:
            row = await info.context.read(lambda s: s.get(models.Job, str(id)))
            if row is None:
                raise NotFound(f"no job {id}", field="id")
            job = Job.from_row(row)
            if job != last:
                yield job
                last = job
            if row.status in FINISHED:
                return
            await anyio.sleep(POLL_SECONDS)

    @strawberry.subscription(
        description="Each salon of the month that changes (status, schedule, outcome, edits) or is newly "
        "planned, as it is after the change; those the viewer may see, as `salons(month)`. Changes are "
        "seen within about a second."
    )
    async def salon_changed(
        self,
        info: Info,
        month: Annotated[Period, strawberry.argument(description="The month whose salons to follow.")],
        locale: LOCALE_ARGUMENT = None,
    ) -> AsyncGenerator[Salon, None]:
        chosen = info.context.locale(locale)
        seen: dict[int, object] | None = None
        while True:
            rows = await visible_salons_of(info, str(month))
            now = {row.id: (row.status, row.updated_at, row.scheduled_at) for row, _ in rows}
            if seen is not None:
                for row, ids in rows:
                    if seen.get(row.id) != now[row.id]:
                        yield Salon.of(row, ids, chosen, info.context.formats)
            seen = now
            await anyio.sleep(POLL_SECONDS)
