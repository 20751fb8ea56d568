"""A recompute over several metrics fans out into one part per metric, on every broker, and
leaves exactly what the single-message path leaves — also after a crash mid-way or a redelivery."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from domain import jobs
from domain.db import session_scope
from domain.models import JobStatus
from tests.support.jobs import wait_for_job
from tests.workers.conftest import BROKERS
from tests.workers.results import snapshot
from workers import fanout, relay, tables
from workers.actors import recompute
from workers.jobs import enqueue
from workers.rebuild import rebuild


@pytest.fixture
def database_url(demo_database_url) -> str:
    """The demo company (10 metrics, feedback, growth records) for every test here."""
    return demo_database_url


def _before_each_write(monkeypatch, hook) -> None:
    """Call ``hook(model, frame)`` before each write of results (``tables.replace`` and
    ``tables.sync``): it may raise."""

    def hooked(original):
        def write(connection, model, condition, frame):
            hook(model, frame)
            return original(connection, model, condition, frame)

        return write

    for name in ("replace", "sync"):
        monkeypatch.setattr(tables, name, hooked(getattr(tables, name)))


def _metric_codes(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(text("SELECT code FROM metric ORDER BY code")))


@pytest.mark.parametrize("running_worker", BROKERS, indirect=True)
def test_a_full_recompute_runs_as_one_part_per_metric_and_matches_one_message(engine, running_worker):
    job = wait_for_job(engine, enqueue(engine, recompute).id, timeout=120)
    fanned_out = snapshot(engine)

    assert job.status == JobStatus.SUCCEEDED, job.error
    parts = jobs.parts(engine, job.id)
    assert [part.args["scope"]["metric_codes"] for part in parts] == [
        [code] for code in _metric_codes(engine)
    ]
    assert all(part.status == JobStatus.SUCCEEDED and part.args["part"] == "metrics" for part in parts)
    assert job.result["parts"] == len(parts) == 10
    assert job.result["gaps"] == sum(part.result["gaps"] for part in parts) == len(fanned_out["gap"])
    assert job.result["growth_needs"] == len(fanned_out["growthneed"]) > 0
    with session_scope(engine) as session:
        assert jobs.progress(session, job.id) == (10, 10)

    rebuild(engine)  # the single-message path over the same data

    assert snapshot(engine) == fanned_out


def test_a_scope_of_one_metric_runs_in_its_own_message(engine, running_worker):
    job = wait_for_job(engine, enqueue(engine, recompute, scope={"metric_codes": ["defect_rate"]}).id)

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert jobs.parts(engine, job.id) == []
    assert job.result["partitions"] > 0


def test_a_part_that_crashes_mid_way_is_retried_and_the_results_are_as_if_it_never_had(
    engine, running_worker, monkeypatch
):
    rebuild(engine)
    expected = snapshot(engine)
    with engine.begin() as connection:  # stale results that the recompute must replace
        connection.execute(text("UPDATE gap SET severity = -1"))
        connection.execute(text("DELETE FROM topperformer"))
    crashed = []

    def crash_once(model, frame):
        if model.__name__ == "TopPerformer" and not crashed:  # after the part's values, gaps, drivers
            crashed.append(model)
            raise ConnectionError("worker lost its database")

    _before_each_write(monkeypatch, crash_once)
    monkeypatch.setitem(recompute.options, "min_backoff", 10)
    monkeypatch.setitem(recompute.options, "max_backoff", 20)

    job = wait_for_job(engine, enqueue(engine, recompute).id, timeout=120)

    assert job.status == JobStatus.SUCCEEDED, job.error
    retried = [part for part in jobs.parts(engine, job.id) if part.attempts == 2]
    assert len(crashed) == 1 and len(retried) == 1
    assert snapshot(engine) == expected


def test_a_part_that_fails_for_good_fails_its_parent_and_keeps_the_previous_results(
    engine, running_worker, monkeypatch
):
    rebuild(engine)
    before = snapshot(engine)
    with engine.connect() as connection:
        defect_rate = connection.scalar(text("SELECT id FROM metric WHERE code = 'defect_rate'"))

    def broken(model, frame):
        if model.__name__ == "GapDriver" and frame.height and frame["metric_id"][0] == defect_rate:
            raise RuntimeError("disk full")

    _before_each_write(monkeypatch, broken)
    monkeypatch.setitem(recompute.options, "max_retries", 0)

    job = wait_for_job(engine, enqueue(engine, recompute).id, timeout=120)

    assert job.status == JobStatus.FAILED, [
        (p.status, p.attempts, p.error, p.args) for p in jobs.parts(engine, job.id)
    ]
    failed_part = next(p for p in jobs.parts(engine, job.id) if p.status == JobStatus.FAILED)
    assert job.error == failed_part.error and job.error.startswith("internal error (reference ")
    statuses = [part.status for part in jobs.parts(engine, job.id)]
    assert statuses.count(JobStatus.FAILED) == 1
    assert snapshot(engine) == before  # the failed part rolled back; the others rebuilt the same rows


class _Recorder:
    """A broker that confirms every message and remembers the job ids sent."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def get_actor(self, name):
        return self

    def send_with_options(self, *, kwargs):
        self.sent.append(kwargs["job_id"])


def test_a_parent_delivered_again_creates_no_new_parts_and_the_relay_sends_each_unsent_once(engine):
    with session_scope(engine) as session:
        parent = jobs.create_job(session, "recompute", {"scope": None})
    jobs.start(engine, parent.id)  # its message is being processed
    sent: list[str] = []

    def lost_after_three(part) -> None:  # the worker dies while sending
        if len(sent) == 3:
            raise ConnectionError("broker gone")
        sent.append(part.id)

    with pytest.raises(ConnectionError):
        fanout.run(engine, parent.id, None, lost_after_three)
    first = [part.id for part in jobs.parts(engine, parent.id)]
    resent: list[str] = []

    waiting = fanout.run(engine, parent.id, None, lambda part: resent.append(part.id))

    assert waiting[jobs.WAITING] and waiting["parts"] == 10
    assert [part.id for part in jobs.parts(engine, parent.id)] == first  # the same ten parts
    assert resent == []  # a redelivered parent sends none: the parts are the relay's
    broker = _Recorder()
    assert sorted(relay.relay_due(engine, broker)) == sorted(first)  # committed unsent: all ten
    assert relay.relay_due(engine, broker) == [] and sorted(broker.sent) == sorted(first)  # once each


def test_messages_delivered_twice_change_nothing(engine, running_worker):
    job = wait_for_job(engine, enqueue(engine, recompute).id, timeout=120)
    results = snapshot(engine)
    part = jobs.parts(engine, job.id)[0]

    for message in (job, part):  # at-least-once delivery: both arrive again
        recompute.send_with_options(kwargs={**message.args, "job_id": message.id})
    running_worker.join(recompute.queue_name)

    assert jobs.get_job(engine, job.id).attempts == job.attempts  # skipped, not run again
    assert jobs.get_job(engine, part.id).attempts == part.attempts
    assert snapshot(engine) == results
