"""Jobs for HR: one by id, the list (newest first), and a retry of a failed or stuck one.

A job's result speaks for the whole organisation (import counts, planning problems), so
every field here is for ``hr_admin`` only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import strawberry
from anyio import to_thread

from api.connections import AFTER, DEFAULT_PAGE, PAGE_SIZE, Connection, sql_page
from api.context import Info
from api.tokens import Role
from api.types.enums import JobStatus
from api.types.job import Job
from domain import job_repair, models
from domain.errors import InvalidArgument
from workers.relay import send_now


@strawberry.type
class JobQuery:
    @strawberry.field(description="A background job by id, or null (hr_admin only: only HR starts jobs).")
    async def job(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The job's id.")],  # noqa: A002
    ) -> Job | None:
        info.context.viewer.require(Role.HR_ADMIN, action="reading jobs")
        row = await info.context.read(lambda s: s.get(models.Job, str(id)))
        return Job.from_row(row) if row else None

    @strawberry.field(
        description="Background jobs, newest first (hr_admin only). `kind` is the actor (recompute, "
        "plan_month, …); `olderThan` keeps jobs created before that time; `first` is the page size. "
        "Parts are listed under their job's `parts` unless `includeParts`. A failed job says why in "
        "`error`, a message the broker gave up on included."
    )
    async def jobs(
        self,
        info: Info,
        status: Annotated[
            JobStatus | None, strawberry.argument(description="Only jobs in this state.")
        ] = None,
        kind: Annotated[str | None, strawberry.argument(description="Only jobs of this actor.")] = None,
        older_than: Annotated[
            datetime | None,
            strawberry.argument(description="Only jobs created before this time (with its zone)."),
        ] = None,
        first: Annotated[int, strawberry.argument(description="The page size.")] = job_repair.DEFAULT_PAGE,
        include_parts: Annotated[
            bool, strawberry.argument(description="List a large job's parts too, not only under `parts`.")
        ] = False,
    ) -> list[Job]:
        info.context.viewer.require(Role.HR_ADMIN, action="reading jobs")
        if older_than is not None and older_than.tzinfo is None:
            raise InvalidArgument("olderThan: needs a time zone (e.g. 2026-12-03T14:00:00+08:00)")
        # a page size above SALON_MAX_PAGE_SIZE or below 0 is refused before this runs (api.limits)
        rows = await info.context.read(
            lambda s: job_repair.listing(
                s,
                status=models.JobStatus(status.value) if status else None,
                kind=kind,
                older_than=older_than,
                limit=first,
                include_parts=include_parts,
            )
        )
        return [Job.from_row(row) for row in rows]

    @strawberry.field(description="`jobs` a page at a time (Relay connection), newest first (hr_admin only).")
    async def jobs_connection(
        self,
        info: Info,
        status: Annotated[
            JobStatus | None, strawberry.argument(description="Only jobs in this state.")
        ] = None,
        kind: Annotated[str | None, strawberry.argument(description="Only jobs of this actor.")] = None,
        include_parts: Annotated[
            bool, strawberry.argument(description="List a large job's parts too, not only under `parts`.")
        ] = False,
        first: PAGE_SIZE = DEFAULT_PAGE,
        after: AFTER = None,
    ) -> Connection[Job]:
        info.context.viewer.require(Role.HR_ADMIN, action="reading jobs")
        statement = job_repair.listed(
            status=models.JobStatus(status.value) if status else None, kind=kind, include_parts=include_parts
        )
        return await sql_page(info.context.read, statement, first, after, Job.from_row)


@strawberry.type
class JobMutation:
    @strawberry.mutation(
        description="Send a FAILED job again, or a stuck one (QUEUED or RUNNING without progress for "
        "SALON_JOB_STALE_AFTER minutes), from the start: its failed parts run again too. Refused for a succeeded job, a "
        "job still moving, a part (retry its job) and an unknown id. hr_admin only."
    )
    async def retry_job(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The job's id.")]
    ) -> Job:  # noqa: A002
        info.context.viewer.require(Role.HR_ADMIN, action="retrying jobs")

        stale_after = timedelta(minutes=info.context.settings.job_stale_after)

        def run() -> models.Job:
            job = job_repair.retry(info.context.engine, str(id), stale_after)
            send_now(info.context.engine, job.id)  # else the relay of any worker sends it
            return job

        job = await to_thread.run_sync(run)
        info.context.audit("mutation:retryJob", f"job:{id}")  # refused or failed: noted by api.audit
        return Job.from_row(job)
