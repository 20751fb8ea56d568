"""Jobs never strand: the outbox, the relay, kept bookkeeping, the stale sweep, time-based retries.

Outages are played by a TCP proxy in front of the real broker or database (``TcpProxy``).
"""

from __future__ import annotations

import csv
import io
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlsplit

import dramatiq
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from domain import jobs
from domain.db import make_engine, session_scope
from domain.importing.recompute import import_and_recompute
from domain.importing.templates import ImportKind
from domain.models import Job, JobStatus, utcnow
from domain.settings import load_settings
from tests.support import services
from tests.support.jobs import wait_for_job
from tests.support.proxy import TcpProxy, outside_ephemeral_port
from workers import broker as broker_setup
from workers import embedded, fanout, runtime
from workers.actors import QUEUE, summarise_data
from workers.relay import send_now

PROXY: dict[str, TcpProxy] = {}
RUNS: dict[str, int] = {}


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def cuts_the_database_on_return(job_id: str, cut: bool) -> dict:
    """Its work is done; then the database goes away before its outcome is written."""
    RUNS[job_id] = RUNS.get(job_id, 0) + 1
    if cut:
        PROXY["database"].stop()
    return {"cut": cut}


@dramatiq.actor(queue_name=QUEUE, max_retries=None, min_backoff=100, max_backoff=200)
def never_works(job_id: str) -> None:
    raise RuntimeError("the disk is full")


@pytest.fixture
def restore_stub_broker() -> Iterator[None]:
    yield
    broker_setup.install(broker_setup.make_broker("stub://"))


def _proxied(url: str, proxy: TcpProxy) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.replace(f":{parts.port}", f":{proxy.port}")).geturl()


def _proxy_for(host: str, port: int) -> TcpProxy:
    proxy = TcpProxy(host, port, port=outside_ephemeral_port())
    proxy.start()
    return proxy


def _start(broker: dramatiq.Broker) -> dramatiq.Worker:
    return embedded.start_worker(broker, threads=2, poll_ms=100)


def _one_month_of_changes(engine) -> tuple[bytes, dict]:
    """A department-level observation with a new value, as a corrected export brings."""
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT m.code, o.period, d.code, o.value, o.numerator, o.denominator, o.metric_id"
                " FROM observation o JOIN metric m ON m.id = o.metric_id"
                " JOIN department d ON d.id = o.department_id"
                " WHERE o.employee_id IS NULL ORDER BY o.period DESC, m.code, d.code LIMIT 1"
            )
        ).one()
    metric, period, department, value, numerator, denominator, metric_id = row
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["metric_code", "period", "department_code", "employee_id", "value", "numerator", "denominator"]
    )
    if numerator is None:
        writer.writerow([metric, period, department, "", value + 1.5, "", ""])
    else:
        writer.writerow([metric, period, department, "", "", numerator + 1, denominator])
    return out.getvalue().encode(), {"metric_id": metric_id, "period": period}


def _values(engine, where: dict) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            text("SELECT count(*) FROM departmentvalue WHERE metric_id = :metric_id AND period = :period"),
            where,
        )


# --- 1. an import's recompute is sent even when the broker refused it -------------------------


@pytest.mark.parametrize(
    "kind",
    [pytest.param("redis", marks=pytest.mark.redis), pytest.param("rabbitmq", marks=pytest.mark.rabbitmq)],
)
def test_an_import_while_the_broker_is_down_answers_its_job_and_the_relay_sends_it_later(
    kind, demo_database_url, restore_stub_broker
):
    services.require(kind)
    url = services.REDIS_URL if kind == "redis" else services.RABBITMQ_URL
    proxy = _proxy_for(urlsplit(url).hostname, urlsplit(url).port)
    engine = make_engine(demo_database_url)
    runtime.configure(load_settings({}), engine)
    broker = broker_setup.install(
        broker_setup.make_broker(
            _proxied(url, proxy), namespace=f"salon-test-{uuid.uuid4().hex[:8]}", timeout=1
        )
    )
    worker = None
    try:
        broker.flush_all()
        content, where = _one_month_of_changes(engine)
        with engine.begin() as connection:  # gone until the recompute runs
            connection.execute(
                text("DELETE FROM departmentvalue WHERE metric_id = :metric_id AND period = :period"), where
            )
        proxy.stop()

        started = time.monotonic()
        report = import_and_recompute(
            engine, load_settings({}), ImportKind.OBSERVATIONS, content, "obs.csv", send=send_now
        )
        seconds = time.monotonic() - started
        print(f"{kind}: the import answered in {seconds:.1f} s with the broker down")

        assert report.applied and report.counts.updated == 1 and report.job_id, report.errors
        queued = jobs.get_job(engine, report.job_id)
        assert (queued.status, queued.sent_at, queued.send_attempts) == (JobStatus.QUEUED, None, 1)
        assert queued.send_error and queued.next_send_at > queued.created_at
        assert _values(engine, where) == 0

        proxy.start()
        worker = _start(broker)  # its relay sends the job once the broker answers
        done = wait_for_job(engine, report.job_id, timeout=90)

        assert done.status == JobStatus.SUCCEEDED, done.error
        assert done.sent_at is not None and done.attempts == 1
        assert _values(engine, where) > 0
    finally:
        proxy.start()
        if worker is not None:
            worker.stop(timeout=5_000)
        broker.flush_all()
        broker.close()
        proxy.stop()
        engine.dispose()


def test_an_import_and_its_recompute_job_commit_together(demo_database_url, monkeypatch):
    """The job row is written in the import's transaction: when it cannot be, nothing is kept."""
    import domain.importing.recompute

    engine = make_engine(demo_database_url)
    content, where = _one_month_of_changes(engine)

    def refused(session, actor, args, parent_id=None):
        raise IntegrityError("INSERT INTO job", {}, Exception("refused"))

    with engine.connect() as connection:
        before = connection.execute(text("SELECT count(*), sum(value) FROM observation")).one()
        jobs_before = connection.scalar(text("SELECT count(*) FROM job"))
    monkeypatch.setattr(domain.importing.recompute, "create_job", refused)

    report = import_and_recompute(
        engine, load_settings({}), ImportKind.OBSERVATIONS, content, "obs.csv", send=send_now
    )

    assert not report.applied and report.job_id is None and report.errors
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*), sum(value) FROM observation")).one() == before
        assert connection.scalar(text("SELECT count(*) FROM job")) == jobs_before
    engine.dispose()


# --- 2. bookkeeping that cannot be written is kept, not lost ------------------------------------


@pytest.fixture
def proxied_database(database_url) -> Iterator[tuple[TcpProxy, str]]:
    url = make_url(database_url)
    proxy = _proxy_for(url.host, url.port or 5432)
    PROXY["database"] = proxy
    yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    proxy.stop()


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_an_outcome_the_database_could_not_take_is_written_when_it_returns_and_the_parent_finishes(
    database_url, proxied_database, restore_stub_broker
):
    proxy, proxied_url = proxied_database
    direct = make_engine(database_url)
    engine = make_engine(proxied_url, timeout=1)
    runtime.configure(load_settings({}), engine)
    broker = broker_setup.install(broker_setup.make_broker("stub://"))
    with session_scope(direct) as session:
        parent = jobs.create_job(session, cuts_the_database_on_return.actor_name, {"cut": False})
    jobs.start(direct, parent.id)
    with session_scope(direct) as session:
        first, second = (
            jobs.create_job(
                session, cuts_the_database_on_return.actor_name, {"cut": cut}, parent_id=parent.id
            )
            for cut in (False, True)
        )
        second.next_send_at = utcnow() + timedelta(seconds=3)  # the relay sends it after the first ran
    worker = _start(broker)
    try:
        assert wait_for_job(direct, first.id).status == JobStatus.SUCCEEDED  # the relay sent both
        deadline = time.monotonic() + 30
        while RUNS.get(second.id) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(3)  # its outcome was tried, and kept

        assert RUNS[second.id] == 1
        assert jobs.get_job(direct, second.id).status == JobStatus.RUNNING
        proxy.start()

        done = wait_for_job(direct, parent.id, timeout=60)
        assert done.status == JobStatus.SUCCEEDED, done.error
        assert jobs.get_job(direct, second.id).status == JobStatus.SUCCEEDED
        assert RUNS[second.id] == 1  # the bookkeeping was retried, not the work
    finally:
        proxy.start()
        worker.stop(timeout=5_000)
        engine.dispose()
        direct.dispose()


# --- 3. a stale RUNNING job is swept back and run again ------------------------------------------


def test_a_running_job_without_a_heartbeat_is_swept_and_run_again(engine, restore_stub_broker):
    runtime.configure(load_settings({}), engine)
    broker = broker_setup.install(broker_setup.make_broker("stub://", stale_after=timedelta(seconds=2)))
    long_ago = utcnow() - timedelta(minutes=5)
    with Session(engine, expire_on_commit=False) as session:
        stale = Job(
            actor=summarise_data.actor_name,
            status=JobStatus.RUNNING,
            attempts=1,
            started_at=long_ago,
            heartbeat_at=long_ago,
            sent_at=long_ago,
        )
        session.add(stale)
        session.commit()
    with session_scope(engine) as session:
        assert [job.id for job in jobs.stuck(session, utcnow(), timedelta(minutes=1))] == [stale.id]
    worker = _start(broker)
    try:
        done = wait_for_job(engine, stale.id, timeout=30)
    finally:
        worker.stop(timeout=5_000)

    assert (done.status, done.attempts) == (JobStatus.SUCCEEDED, 2)
    with session_scope(engine) as session:
        assert jobs.stuck(session, utcnow(), timedelta(minutes=1)) == []


def test_a_queued_job_whose_retry_message_was_lost_is_swept_and_run_again(engine, restore_stub_broker):
    """The soak's find: an attempt fails while the broker is down too, so Dramatiq's retry
    message is never taken; the row says QUEUED and sent. Nothing picks it up — but the sweep."""
    runtime.configure(load_settings({}), engine)
    broker = broker_setup.install(broker_setup.make_broker("stub://", stale_after=timedelta(seconds=2)))
    long_ago, lately = utcnow() - timedelta(minutes=5), utcnow()
    with Session(engine, expire_on_commit=False) as session:
        lost = Job(
            actor=summarise_data.actor_name,
            status=JobStatus.QUEUED,
            attempts=1,
            started_at=long_ago,
            sent_at=long_ago,
            error="the database is unavailable or busy",
        )
        waiting = Job(actor=summarise_data.actor_name, status=JobStatus.QUEUED, sent_at=lately)
        session.add_all([lost, waiting])
        session.commit()
    with session_scope(engine) as session:
        assert [job.id for job in jobs.stuck(session, utcnow(), timedelta(minutes=1))] == [lost.id]
    assert jobs.sweep(engine, utcnow(), timedelta(minutes=1)) == [lost.id]  # the recent one stays
    with session_scope(engine) as session:
        swept = session.get(Job, lost.id)
        assert (swept.status, swept.sent_at) == (JobStatus.QUEUED, None)
    worker = _start(broker)
    try:
        done = wait_for_job(engine, lost.id, timeout=30)
    finally:
        worker.stop(timeout=5_000)

    assert (done.status, done.attempts) == (JobStatus.SUCCEEDED, 2)


# --- 4. the embedded restart sends each unfinished part once -------------------------------------


def test_an_embedded_restart_runs_each_queued_part_once(demo_database_url, restore_stub_broker):
    engine = make_engine(demo_database_url)
    runtime.configure(load_settings({}), engine)
    earlier = utcnow() - timedelta(minutes=5)  # the previous process's
    with session_scope(engine) as session:
        parent = jobs.create_job(session, "recompute", {"scope": None})
    jobs.start(engine, parent.id)
    arguments = [{"scope": scope, "part": "metrics"} for scope in fanout.split(engine, None)]
    parts, created = jobs.create_parts(engine, parent.id, "recompute", arguments)
    with session_scope(engine) as session:  # three parts ran; the others were sent and lost
        for index, part in enumerate(parts):
            row = session.get(Job, part.id)
            row.sent_at = earlier
            if index < 3:
                row.status, row.attempts, row.result = JobStatus.SUCCEEDED, 1, {"gaps": 0}
        session.get(Job, parent.id).started_at = earlier
        session.get(Job, parent.id).heartbeat_at = earlier

    broker = broker_setup.install(broker_setup.make_broker("stub://"))
    worker = _start(broker)  # what the server does at start-up
    try:
        embedded.requeue_unfinished(engine, broker)
        done = wait_for_job(engine, parent.id, timeout=120)
    finally:
        worker.stop(timeout=5_000)

    assert created and done.status == JobStatus.SUCCEEDED, done.error
    assert [part.attempts for part in jobs.parts(engine, parent.id)] == [1] * len(parts)  # each once
    assert done.attempts == 2  # fanned out, then finished
    engine.dispose()


# --- 5. the retry budget is time, and a job given up ends FAILED ---------------------------------


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_job_is_retried_through_a_database_outage_longer_than_three_quick_retries(
    database_url, proxied_database, restore_stub_broker, monkeypatch
):
    proxy, proxied_url = proxied_database
    direct = make_engine(database_url)
    engine = make_engine(proxied_url, timeout=1)
    runtime.configure(load_settings({}), engine)
    broker = broker_setup.install(broker_setup.make_broker("stub://"))
    monkeypatch.setitem(summarise_data.options, "min_backoff", 100)
    monkeypatch.setitem(summarise_data.options, "max_backoff", 300)
    with session_scope(direct) as session:
        job = jobs.create_job(session, summarise_data.actor_name, {})
        job.sent_at = utcnow()  # sent below, by hand
    worker = _start(broker)
    try:
        proxy.stop()
        message = summarise_data.send(job_id=job.id)
        time.sleep(8)  # the database is away much longer than three quick retries take
        proxy.start()
        done = wait_for_job(direct, job.id, timeout=60)
    finally:
        proxy.start()
        worker.stop(timeout=5_000)
        engine.dispose()
        direct.dispose()

    assert done.status == JobStatus.SUCCEEDED, done.error
    assert done.attempts >= 1 and done.result["departments"] == 0
    assert message.message_id not in {m.message_id for m in broker.dead_letters}


def test_a_job_given_up_after_its_retry_budget_ends_failed_with_its_reason(engine, restore_stub_broker):
    runtime.configure(load_settings({}), engine)
    broker = broker_setup.install(broker_setup.make_broker("stub://", retry_budget=timedelta(seconds=2)))
    worker = _start(broker)
    try:
        with session_scope(engine) as session:
            job = jobs.create_job(session, never_works.actor_name, {})
        done = wait_for_job(engine, job.id, timeout=30)
    finally:
        worker.stop(timeout=5_000)

    assert done.status == JobStatus.FAILED and done.finished_at is not None
    assert done.error.startswith("given up after ") and " s: internal error (reference " in done.error
    retries = int(done.error.removeprefix("given up after ").split()[0])
    assert retries > 3 and done.attempts == retries + 1, done.error
    assert len(broker.dead_letters) == 1  # dead-lettered in the broker, and FAILED in the table
