"""A request's reads in waves (``api.reads``): asked together, they run in one go and one session
(on the event loop for a SQLite file, in one worker-thread hop otherwise); each gets its own
answer or its own error; a read too long for the loop moves off it."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import select

import api.reads
from api.reads import RequestReads
from domain.db import make_engine
from domain.models import Metric
from tests.support.reads import value


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'reads.db'}")
    yield engine
    engine.dispose()


@pytest.mark.parametrize("on_loop", [False, True], ids=["in-a-thread", "on-the-loop"])
def test_reads_asked_together_run_in_one_go_and_one_session(engine, on_loop):
    reads = RequestReads(engine, on_loop=on_loop)
    sessions, threads = set(), set()

    def noting(n: int):
        return value(n, lambda session: (sessions.add(id(session)), threads.add(threading.current_thread())))

    async def main():
        return await asyncio.gather(*(reads(noting(n)) for n in range(5)))

    answers = asyncio.run(main())

    assert answers == [0, 1, 2, 3, 4]
    assert reads.waves == 1 and len(sessions) == 1
    assert threads == ({threading.main_thread()} if on_loop else threads - {threading.main_thread()})
    assert len(threads) == 1 and reads.hops == (0 if on_loop else 1)


def test_a_sqlite_file_is_read_on_the_loop_and_a_database_in_memory_in_a_thread(engine):
    memory = make_engine("sqlite://")
    assert RequestReads(engine).on_loop and not RequestReads(memory).on_loop
    memory.dispose()


def test_a_read_that_outruns_the_loops_budget_moves_off_the_loop_and_still_answers(engine, monkeypatch):
    """A scan must not hold up every other request: SQLite interrupts it on the loop, and it runs
    again (with the reads after it) in a worker thread, where it may take as long as it needs."""
    monkeypatch.setattr(api.reads, "LOOP_BUDGET", 0.005)
    reads = RequestReads(engine)
    threads = {}

    def noting(name, sql):
        def query(session):
            threads.setdefault(name, []).append(threading.current_thread())
            return session.execute(text(sql)).scalar_one()

        return query

    scan = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT count(*) FROM n"

    async def main():
        return await asyncio.gather(
            reads(noting("before", "SELECT 1")),
            reads(noting("scan", scan)),
            reads(noting("after", "SELECT 2")),
        )

    assert asyncio.run(main()) == [1, 3000000, 2]
    main_thread = threading.main_thread()
    assert threads["before"] == [main_thread]  # answered on the loop, not run again
    assert threads["scan"][0] is main_thread and threads["scan"][1] is not main_thread  # interrupted, moved
    assert threads["after"] == [threads["scan"][1]]
    assert reads.waves == 1 and reads.hops == 1


def test_a_connection_goes_back_to_the_pool_without_the_loops_budget(engine, monkeypatch):
    """The budget is the loop's: the same pooled connection, taken next by a worker (an import, a
    mutation), must run a long statement to its end."""
    monkeypatch.setattr(api.reads, "LOOP_BUDGET", 0.001)
    reads = RequestReads(engine)
    used = asyncio.run(reads(lambda session: session.connection().connection.driver_connection))
    slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT count(*) FROM n"
    with engine.connect() as connection:
        assert connection.connection.driver_connection is used  # the one pooled connection
        assert connection.execute(text(slow)).scalar_one() == 300000


def test_waves_on_the_loop_hold_no_connection_between_them(engine):
    """Held across waves on the loop, twenty requests' sessions would empty the pool and the
    twenty-first would wait for a connection with the loop, which alone could return one, blocked."""
    reads = RequestReads(engine, hold=True)
    assert reads.on_loop and not reads.hold

    async def main():
        first = await reads(value(1))
        between = engine.pool.checkedout()
        second = await reads(value(first + 1))
        return first, second, between

    assert asyncio.run(main()) == (1, 2, 0)
    assert engine.pool.checkedout() == 0


def test_a_read_asked_once_the_first_was_answered_is_a_second_wave(engine):
    reads = RequestReads(engine)

    async def main():
        first = await reads(value(1))
        second, third = await asyncio.gather(reads(value(first + 1)), reads(value(first + 2)))
        return first, second, third

    assert asyncio.run(main()) == (1, 2, 3)
    assert reads.waves == 2


@pytest.mark.parametrize("on_loop", [False, True], ids=["in-a-thread", "on-the-loop"])
def test_a_failing_read_gets_its_own_error_and_the_others_their_answers(engine, on_loop):
    reads = RequestReads(engine, on_loop=on_loop)

    def bad_sql(session):
        return session.execute(text("SELECT * FROM no_such_table")).all()

    def refused(session):
        raise ValueError("metricCode: unknown metric 'x'")

    async def main():
        return await asyncio.gather(
            reads(value(1)),
            reads(bad_sql),
            reads(value(2)),
            reads(refused),
            reads(value(3)),
            return_exceptions=True,
        )

    one, missing, two, unknown, three = asyncio.run(main())

    assert (one, two, three) == (1, 2, 3)  # the session was rolled back after the failed statement
    assert isinstance(missing, OperationalError) and "no_such_table" in str(missing)
    assert isinstance(unknown, ValueError) and str(unknown) == "metricCode: unknown metric 'x'"
    assert reads.waves == 1


@pytest.mark.parametrize("on_loop", [False, True], ids=["in-a-thread", "on-the-loop"])
def test_rows_read_before_a_failing_read_of_the_same_wave_stay_readable(engine, on_loop):
    Metric.__table__.create(engine)
    with engine.begin() as connection:
        connection.execute(
            Metric.__table__.insert(), [{"code": "output", "name": "产出", "direction": "higher"}]
        )
    reads = RequestReads(engine, on_loop=on_loop)

    def metrics(session):
        return session.exec(select(Metric)).all()

    def refused(session):
        raise ValueError("no metric with code 'x'")

    async def main():
        return await asyncio.gather(reads(metrics), reads(refused), return_exceptions=True)

    rows, error = asyncio.run(main())

    assert isinstance(error, ValueError)
    assert [(m.code, m.name) for m in rows] == [("output", "产出")]  # not expired by the failure


@pytest.mark.parametrize("on_loop", [False, True], ids=["in-a-thread", "on-the-loop"])
def test_an_unavailable_database_fails_the_rest_of_the_wave_at_once(tmp_path, on_loop):
    engine = make_engine(f"sqlite:///{tmp_path / 'missing-folder' / 'reads.db'}")  # cannot be opened
    reads = RequestReads(engine, on_loop=on_loop)
    tried = []

    def noting(n: int):
        return value(n, lambda _: tried.append(n))

    async def main():
        return await asyncio.gather(*(reads(noting(n)) for n in range(3)), return_exceptions=True)

    errors = asyncio.run(main())

    assert all(isinstance(error, OperationalError) for error in errors), errors
    # the others were not tried: each would have waited out the same failure (on the loop the
    # connection is taken before the first read, to watch its statements: none was tried)
    assert tried == ([] if on_loop else [0])
    engine.dispose()


def test_an_operation_in_threads_holds_one_session_for_its_waves_until_it_is_released(engine):
    reads = RequestReads(engine, hold=True, on_loop=False)
    sessions = set()

    def noting(n: int):
        return value(n, lambda session: sessions.add(id(session)))

    async def main():
        first = await reads(noting(1))
        second = await reads(noting(first + 1))
        last = await reads(noting(second + 1))
        held = engine.pool.checkedout()
        reads.release()
        for _ in range(100):  # the close runs in a worker thread
            if engine.pool.checkedout() == 0:
                break
            await asyncio.sleep(0.01)
        return (first, second, last), held

    answers, held = asyncio.run(main())

    assert answers == (1, 2, 3)
    assert reads.waves == 3 and reads.sessions == 1 and len(sessions) == 1
    assert held == 1  # between waves: the one connection, kept
    assert engine.pool.checkedout() == 0  # back in the pool once released


def test_a_held_session_is_released_after_the_wave_that_runs_when_the_operation_ends(engine):
    reads = RequestReads(engine, hold=True, on_loop=False)
    started, go_on = threading.Event(), threading.Event()

    def slow(session):
        seven = value(7)(session)  # the session has its connection
        started.set()
        go_on.wait(5)
        return seven

    async def main():
        pending = asyncio.ensure_future(reads(slow))
        while not started.is_set():
            await asyncio.sleep(0.005)
        pending.cancel()  # the request went away while its wave ran
        reads.release()
        during = engine.pool.checkedout()
        go_on.set()
        while reads._draining:
            await asyncio.sleep(0.005)
        for _ in range(100):  # the close runs in a worker thread
            if engine.pool.checkedout() == 0:
                break
            await asyncio.sleep(0.01)
        return during

    during = asyncio.run(main())

    assert during == 1  # not closed under the running wave
    assert engine.pool.checkedout() == 0


def test_a_later_wave_of_a_held_session_reads_what_is_committed_then(engine):
    Metric.__table__.create(engine)
    with engine.begin() as connection:
        connection.execute(
            Metric.__table__.insert(), [{"code": "output", "name": "产出", "direction": "higher"}]
        )
    reads = RequestReads(engine, hold=True, on_loop=False)

    def metric(session):
        return session.exec(select(Metric)).one()

    async def main():
        before = await reads(metric)
        with engine.begin() as connection:  # a mutation of the same request, in its own session
            connection.execute(Metric.__table__.update().values(name="输出"))
        after = await reads(metric)
        reads.release()
        return before, after

    before, after = asyncio.run(main())

    assert (before.name, after.name) == ("产出", "输出")  # the first row stays as read; nothing cached
    assert before is not after
