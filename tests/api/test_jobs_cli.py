"""``salon jobs``: the operator lists jobs and retries a failed or stuck one (run as a subprocess:
start pytest with ``PYTHONPATH`` set to the checkout so the installed script runs this code)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import Session

from domain.models import Job, JobStatus, utcnow
from tests.support.processes import run_salon, salon_env


def _add(engine, *, minutes_ago: float, **fields) -> Job:
    fields = {"actor": "summarise_data", "created_at": utcnow() - timedelta(minutes=minutes_ago), **fields}
    with Session(engine, expire_on_commit=False) as session:
        job = Job(**fields)
        session.add(job)
        session.commit()
    return job


def _status(engine, job_id: str) -> Job:
    with Session(engine) as session:
        return session.get(Job, job_id)


@pytest.fixture
def jobs_env(database_url):
    return salon_env(SALON_DATABASE_URL=database_url)


@pytest.fixture
def history(engine) -> dict[str, Job]:
    parent = _add(engine, minutes_ago=30, actor="recompute", status=JobStatus.RUNNING)
    for status in (JobStatus.SUCCEEDED, JobStatus.QUEUED):
        _add(engine, minutes_ago=29, actor="recompute", parent_id=parent.id, status=status)
    failed = _add(
        engine, minutes_ago=20, actor="plan_month", status=JobStatus.FAILED, error="no data\nat all"
    )
    done = _add(engine, minutes_ago=1, status=JobStatus.SUCCEEDED, attempts=1)
    return {"parent": parent, "failed": failed, "done": done}


def test_jobs_prints_a_table_newest_first_with_parts_and_the_error_line(jobs_env, history):
    result = run_salon("jobs", env=jobs_env)

    assert result.returncode == 0, result.stderr
    header, *lines = result.stdout.splitlines()
    assert header.split() == [
        "id",
        "kind",
        "status",
        "tries",
        "created",
        "started",
        "finished",
        "parts",
        "error",
    ]
    assert [line.split()[0] for line in lines] == [history[k].id for k in ("done", "failed", "parent")]
    assert lines[1].endswith("no data") and "at all" not in result.stdout
    assert " 1/2" in lines[2]


def test_jobs_filters_and_prints_json(jobs_env, history):
    result = run_salon("jobs", "--status", "failed", "--kind", "plan_month", "--json", env=jobs_env)

    assert result.returncode == 0, result.stderr
    (job,) = json.loads(result.stdout)
    assert (job["id"], job["status"], job["error"]) == (history["failed"].id, "FAILED", "no data\nat all")


def test_retry_requeues_a_failed_job_and_refuses_a_succeeded_one(jobs_env, engine, history):
    retried = run_salon("jobs", "--retry", history["failed"].id, env=jobs_env)
    refused = run_salon("jobs", "--retry", history["done"].id, env=jobs_env)

    assert retried.returncode == 0, retried.stderr
    assert "requeued 1 job(s)" in retried.stderr
    job = _status(engine, history["failed"].id)
    assert (job.status, job.error, job.finished_at) == (JobStatus.QUEUED, None, None)
    assert refused.returncode != 0
    assert "has succeeded; there is nothing to retry" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_retry_stuck_requeues_only_jobs_without_progress(jobs_env, engine, history):
    moving = _add(
        engine, minutes_ago=60, status=JobStatus.RUNNING, started_at=utcnow() - timedelta(minutes=2)
    )

    result = run_salon("jobs", "--retry-stuck", "--stale-after", "15m", "--json", env=jobs_env)

    assert result.returncode == 0, result.stderr
    (part,) = [job for job in json.loads(result.stdout)]
    assert (part["parent_id"], part["status"]) == (history["parent"].id, "QUEUED")  # never sent: back out
    assert _status(engine, part["id"]).sent_at is None
    assert _status(engine, history["parent"].id).status == JobStatus.RUNNING  # waits for its parts
    assert _status(engine, moving.id).status == JobStatus.RUNNING  # moved 2 minutes ago: left alone
    assert "requeued 1 job(s)" in result.stderr
