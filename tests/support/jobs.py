"""Following a job to its end, as a client of any broker would."""

from __future__ import annotations

import time

from sqlmodel import Session

from domain.models import Job, JobStatus


def wait_for_job(engine, job_id: str, timeout: float = 30.0) -> Job:
    """Poll the Job row until it is final: what a client of any broker would do."""
    deadline = time.monotonic() + timeout
    while True:
        with Session(engine) as session:
            job = session.get(Job, job_id)
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED) or time.monotonic() > deadline:
            return job
        time.sleep(0.05)
