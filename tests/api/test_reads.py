"""A request's reads in waves (``api.reads``): asked together, they take one worker-thread hop and
one session; each gets its own answer or its own error."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from api.reads import RequestReads
from domain.db import make_engine
from domain.models import Metric


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'reads.db'}")
    yield engine
    engine.dispose()


def _value(n: int):
    return lambda session: session.execute(text(f"SELECT {n}")).scalar_one()


def test_reads_asked_together_take_one_hop_and_one_session(engine):
    reads = RequestReads(engine)
    sessions, threads = set(), set()

    def noting(n: int):
        def query(session):
            sessions.add(id(session))
            threads.add(threading.current_thread())
            return _value(n)(session)

        return query

    async def main():
        return await asyncio.gather(*(reads(noting(n)) for n in range(5)))

    answers = asyncio.run(main())

    assert answers == [0, 1, 2, 3, 4]
    assert reads.waves == 1 and len(sessions) == 1
    assert threading.main_thread() not in threads  # off the event loop


def test_a_read_asked_once_the_first_was_answered_is_a_second_wave(engine):
    reads = RequestReads(engine)

    async def main():
        first = await reads(_value(1))
        second, third = await asyncio.gather(reads(_value(first + 1)), reads(_value(first + 2)))
        return first, second, third

    assert asyncio.run(main()) == (1, 2, 3)
    assert reads.waves == 2


def test_a_failing_read_gets_its_own_error_and_the_others_their_answers(engine):
    reads = RequestReads(engine)

    def bad_sql(session):
        return session.execute(text("SELECT * FROM no_such_table")).all()

    def refused(session):
        raise ValueError("metricCode: unknown metric 'x'")

    async def main():
        return await asyncio.gather(
            reads(_value(1)),
            reads(bad_sql),
            reads(_value(2)),
            reads(refused),
            reads(_value(3)),
            return_exceptions=True,
        )

    one, missing, two, unknown, three = asyncio.run(main())

    assert (one, two, three) == (1, 2, 3)  # the session was rolled back after the failed statement
    assert isinstance(missing, OperationalError) and "no_such_table" in str(missing)
    assert isinstance(unknown, ValueError) and str(unknown) == "metricCode: unknown metric 'x'"
    assert reads.waves == 1


def test_rows_read_before_a_failing_read_of_the_same_wave_stay_readable(engine):
    Metric.__table__.create(engine)
    with engine.begin() as connection:
        connection.execute(
            Metric.__table__.insert(), [{"code": "output", "name": "产出", "direction": "higher"}]
        )
    reads = RequestReads(engine)

    def metrics(session):
        return session.exec(select(Metric)).all()

    def refused(session):
        raise ValueError("no metric with code 'x'")

    async def main():
        return await asyncio.gather(reads(metrics), reads(refused), return_exceptions=True)

    rows, error = asyncio.run(main())

    assert isinstance(error, ValueError)
    assert [(m.code, m.name) for m in rows] == [("output", "产出")]  # not expired by the failure


def test_an_unavailable_database_fails_the_rest_of_the_wave_at_once(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'missing-folder' / 'reads.db'}")  # cannot be opened
    reads = RequestReads(engine)
    tried = []

    def noting(n: int):
        def query(session):
            tried.append(n)
            return _value(n)(session)

        return query

    async def main():
        return await asyncio.gather(*(reads(noting(n)) for n in range(3)), return_exceptions=True)

    errors = asyncio.run(main())

    assert all(isinstance(error, OperationalError) for error in errors), errors
    assert tried == [0]  # the others were not tried: each would have waited out the same failure
    engine.dispose()


def test_an_operation_holds_one_session_for_its_waves_and_its_last_hop_closes_it(engine):
    reads = RequestReads(engine, hold=True)
    sessions = set()

    def noting(n: int):
        def query(session):
            sessions.add(id(session))
            return _value(n)(session)

        return query

    async def main():
        first = await reads(noting(1))
        second = await reads(noting(first + 1))
        held = engine.pool.checkedout()
        last = await reads.finish(noting(second + 1))
        await asyncio.sleep(0)
        return (first, second, last), held

    answers, held = asyncio.run(main())

    assert answers == (1, 2, 3)
    assert reads.waves == 3 and reads.sessions == 1 and len(sessions) == 1
    assert held == 1  # between waves: the one connection, kept
    assert engine.pool.checkedout() == 0  # back in the pool after the last hop


def test_a_held_session_is_released_after_the_wave_that_runs_when_the_operation_ends(engine):
    reads = RequestReads(engine, hold=True)
    started, go_on = threading.Event(), threading.Event()

    def slow(session):
        value = _value(7)(session)  # the session has its connection
        started.set()
        go_on.wait(5)
        return value

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
    reads = RequestReads(engine, hold=True)

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
