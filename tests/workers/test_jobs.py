"""A job goes end to end through each broker and its Job row tells the truth."""

from __future__ import annotations

import time
from datetime import date, timedelta

import dramatiq
import pytest
from sqlmodel import Session

from domain import jobs
from domain.db import session_scope
from domain.errors import UserError
from domain.jobs import create_job
from domain.models import Department, Employee, Job, JobStatus, Metric, Observation, utcnow
from tests.support.jobs import wait_for_job
from tests.workers.conftest import BROKERS
from workers import embedded
from workers.actors import QUEUE, summarise_data
from workers.jobs import enqueue
from workers.tracking import TIME_LIMIT_EXCEEDED

ATTEMPTS: dict[str, int] = {}


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def always_fails(job_id: str, reason: str) -> None:
    raise RuntimeError(reason)


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def refuses(job_id: str, reason: str) -> None:
    raise UserError(reason)


@dramatiq.actor(queue_name=QUEUE, max_retries=0, time_limit=200)
def overruns(job_id: str) -> None:
    for _ in range(100):  # interruptible: the time limit raises in this thread
        time.sleep(0.05)


@dramatiq.actor(queue_name=QUEUE, max_retries=2, min_backoff=10, max_backoff=50)
def fails_once(job_id: str, key: str) -> dict:
    ATTEMPTS[key] = ATTEMPTS.get(key, 0) + 1
    if ATTEMPTS[key] == 1:
        raise ConnectionError("transient")
    return {"attempt": ATTEMPTS[key]}


def _seed_observations(engine) -> None:
    with session_scope(engine) as session:
        dept = Department(code="PROD", name="生产部")
        session.add(dept)
        session.flush()
        employee = Employee(employee_id="E1", name="张伟", department_id=dept.id, hire_date=date(2025, 1, 1))
        metric = Metric(code="defect_rate", name="不良率", direction="lower", aggregation="ratio")
        session.add_all([employee, metric])
        session.flush()
        for period in ("2026-08", "2026-09"):
            session.add(Observation(metric_id=metric.id, period=period, department_id=dept.id, value=0.02))
            session.add(
                Observation(
                    metric_id=metric.id,
                    period=period,
                    department_id=dept.id,
                    employee_id=employee.id,
                    value=0.03,
                )
            )


@pytest.mark.parametrize("running_worker", BROKERS, indirect=True)
def test_a_job_runs_to_success_and_records_its_result(engine, running_worker):
    _seed_observations(engine)

    job = enqueue(engine, summarise_data)
    done = wait_for_job(engine, job.id)

    assert done.status == JobStatus.SUCCEEDED, done.error
    assert done.attempts == 1
    assert done.started_at <= done.finished_at
    assert done.result["departments"] == 1
    assert done.result["observations"] == {
        "rows": 4,
        "employee_rows": 2,
        "metrics": 1,
        "first_period": "2026-08",
        "last_period": "2026-09",
    }


@pytest.mark.parametrize("running_worker", BROKERS, indirect=True)
def test_an_unexpected_failure_is_recorded_masked_with_a_reference_to_the_logged_traceback(
    engine, running_worker, caplog
):
    job = enqueue(engine, always_fails, reason="SELECT secret FROM /var/lib/salon")
    done = wait_for_job(engine, job.id)

    assert done.status == JobStatus.FAILED
    assert done.finished_at is not None
    assert done.error.startswith("internal error (reference ")
    assert "secret" not in done.error and "RuntimeError" not in done.error
    reference = done.error.removeprefix("internal error (reference ").rstrip(")")
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and "SELECT secret FROM /var/lib/salon" in str(logged[0].exc_info[1])


@pytest.mark.parametrize("running_worker", BROKERS, indirect=True)
def test_a_user_error_is_recorded_as_its_message(engine, running_worker):
    done = wait_for_job(engine, enqueue(engine, refuses, reason="the period 2026-13 does not exist").id)

    assert done.status == JobStatus.FAILED
    assert done.error == "the period 2026-13 does not exist"


def test_a_job_over_its_time_limit_says_so(engine, running_worker):
    done = wait_for_job(engine, enqueue(engine, overruns).id)

    assert (done.status, done.error) == (JobStatus.FAILED, TIME_LIMIT_EXCEEDED)


@pytest.mark.parametrize("running_worker", BROKERS, indirect=True)
def test_a_retried_job_ends_succeeded_after_its_second_attempt(engine, running_worker, request):
    key = request.node.name
    job = enqueue(engine, fails_once, key=key)
    done = wait_for_job(engine, job.id)

    assert done.status == JobStatus.SUCCEEDED
    assert done.attempts == 2 and ATTEMPTS[key] == 2
    assert done.error is None
    assert done.result == {"attempt": 2}


def test_a_job_left_running_is_picked_up_after_a_restart(engine, running_worker):
    """Given a job a crashed process left RUNNING, and one it sent (the stub broker forgot the
    message), when the embedded mode starts, both complete."""
    earlier = utcnow() - timedelta(minutes=5)  # before this worker booted
    with Session(engine, expire_on_commit=False) as session:
        job = Job(actor=summarise_data.actor_name, status=JobStatus.RUNNING, attempts=1, started_at=earlier)
        queued = Job(actor=summarise_data.actor_name, sent_at=earlier)
        session.add_all([job, queued])
        session.commit()

    requeued = embedded.requeue_unfinished(engine, running_worker)

    assert set(requeued) <= {job.id, queued.id}  # the relay's boot pass may have sent them first
    for job_id, attempts in ((job.id, 2), (queued.id, 1)):
        done = wait_for_job(engine, job_id)
        assert (done.status, done.attempts) == (JobStatus.SUCCEEDED, attempts)


def test_a_redelivered_message_of_a_finished_job_is_skipped(engine, running_worker):
    job = enqueue(engine, summarise_data)
    first = wait_for_job(engine, job.id)

    summarise_data.send(job_id=job.id)  # what a broker does after a worker died before its ack
    running_worker.join(QUEUE)

    again = wait_for_job(engine, job.id)
    assert again.attempts == first.attempts == 1
    assert again.finished_at == first.finished_at


def test_a_job_of_an_unknown_actor_fails_at_restart_instead_of_looping(engine, running_worker):
    with Session(engine, expire_on_commit=False) as session:
        job = Job(actor="retired_actor")
        session.add(job)
        session.commit()

    assert embedded.requeue_unfinished(engine, running_worker) == []

    # the worker's own relay may be the one that fails it, in a transaction of its own
    failed = wait_for_job(engine, job.id, timeout=10)
    assert failed.status == JobStatus.FAILED
    assert "unknown actor" in failed.error


def test_a_late_failure_record_does_not_undo_a_retry_that_already_finished(engine):
    """Retries enqueue the retry before JobTracking records the failure: the retry may win."""
    with session_scope(engine) as session:
        job_id = create_job(session, "fails_once", {}).id
    jobs.start(engine, job_id)
    jobs.start(engine, job_id)  # the retry, on another thread
    jobs.succeed(engine, job_id, {"attempt": 2})

    jobs.fail(engine, job_id, "internal error (reference x)", will_retry=True)  # the first attempt's record

    done = jobs.get_job(engine, job_id)
    assert (done.status, done.error, done.attempts) == (JobStatus.SUCCEEDED, None, 2)


def test_a_state_change_read_before_another_is_written_does_not_undo_it(engine):
    """Two workers record a job's state at once (a retry's success, the failed attempt's late
    record): the second must read the first's write. PostgreSQL locks the row FOR UPDATE;
    SQLite, which ignores that, must serialise the whole read-check-write (``session_scope``)."""
    import threading

    with session_scope(engine) as session:
        job_id = create_job(session, "fails_once", {}).id
    jobs.start(engine, job_id)
    has_read, recorded = threading.Event(), []

    def late_failure_record() -> None:  # jobs.fail, slowed down between its read and its write
        with session_scope(engine) as session:
            job = session.get(Job, job_id, with_for_update=True)
            has_read.set()
            time.sleep(0.5)
            if job.status not in (JobStatus.SUCCEEDED, JobStatus.FAILED):
                job.status, job.error = JobStatus.QUEUED, "internal error (reference x)"
                recorded.append(job.status)

    failing = threading.Thread(target=late_failure_record)
    failing.start()
    has_read.wait(5)
    jobs.succeed(engine, job_id, {"attempt": 2})  # waits for the other scope, then wins
    failing.join()

    done = jobs.get_job(engine, job_id)
    assert recorded == [JobStatus.QUEUED]  # the late record went first: it read RUNNING
    assert (done.status, done.error, done.result) == (JobStatus.SUCCEEDED, None, {"attempt": 2})
