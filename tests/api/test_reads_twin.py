"""PostgreSQL's request reads on the event loop (``api.reads`` with ``domain.db.async_twin``): a
wave runs in the loop's thread through psycopg's asyncio connection, holds one connection for
the operation, keeps the sync engine's bounds, and its statements count as the engine's."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from api.reads import RequestReads
from domain.db import async_twin, make_engine, origin_of
from tests.api.conftest import graphql
from tests.support.reads import value
from tests.support.statements import counted

ON_POSTGRESQL = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
def engine(database_url):
    url = make_url(database_url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    engine = make_engine(url, statement_timeout=7)
    yield engine
    engine.dispose()


def _backend(session) -> int:
    return session.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _on_a_twin(engine, main):
    """Run ``main(twin)`` on a new loop with a twin made and disposed of on that loop."""

    async def run():
        twin = async_twin(engine)
        try:
            return await main(twin)
        finally:
            await twin.dispose()

    return asyncio.run(run())


@ON_POSTGRESQL
def test_reads_asked_together_run_on_the_loop_in_one_session_and_count_as_the_engines(engine):
    threads = set()

    def noting(n: int):
        return value(n, lambda _: threads.add(threading.current_thread()))

    async def main(twin):
        reads = RequestReads(engine, twin=twin)
        assert origin_of(twin.sync_engine) is engine
        with counted(engine) as statements:
            answers = await asyncio.gather(*(reads(noting(n)) for n in range(5)))
        return reads, answers, statements

    reads, answers, statements = _on_a_twin(engine, main)

    assert answers == [0, 1, 2, 3, 4]
    assert reads.waves == 1 and reads.sessions == 1 and reads.hops == 0
    assert threads == {threading.main_thread()}  # no worker thread woken
    assert statements == [f"SELECT {n}" for n in range(5)]
    assert engine.pool.checkedout() == 0  # the sync engine's pool is not used


@ON_POSTGRESQL
def test_an_operations_waves_hold_one_connection_until_it_is_released(engine):
    async def main(twin):
        reads = RequestReads(engine, hold=True, twin=twin)
        assert reads.hold and not reads.on_loop
        backends = [await reads(_backend) for _ in range(3)]
        held = twin.sync_engine.pool.checkedout()
        reads.release()
        for _ in range(100):  # the close runs in a task
            if twin.sync_engine.pool.checkedout() == 0:
                break
            await asyncio.sleep(0.01)
        return reads, backends, held, twin.sync_engine.pool.checkedout()

    reads, backends, held, after = _on_a_twin(engine, main)

    assert len(set(backends)) == 1 and reads.waves == 3 and reads.sessions == 1
    assert (held, after) == (1, 0)


@ON_POSTGRESQL
def test_the_last_hop_writes_in_the_held_session_and_closes_it(engine):
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE noted (n int)"))

    def note(session):
        session.execute(text("INSERT INTO noted VALUES (1)"))
        session.commit()
        return _backend(session)

    async def main(twin):
        reads = RequestReads(engine, hold=True, twin=twin)
        first = await reads(_backend)
        last = await reads.finish(note)
        return first, last, twin.sync_engine.pool.checkedout()

    first, last, held = _on_a_twin(engine, main)

    assert first == last and held == 0
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM noted")).scalar_one() == 1


@ON_POSTGRESQL
def test_a_failing_read_gets_its_own_error_and_the_others_their_answers(engine):
    def missing(session):
        return session.execute(text("SELECT * FROM no_such_table")).all()

    async def main(twin):
        reads = RequestReads(engine, hold=True, twin=twin)
        answers = await asyncio.gather(
            reads(value(1)), reads(missing), reads(value(2)), return_exceptions=True
        )
        reads.release()
        return reads, answers

    reads, (one, error, two) = _on_a_twin(engine, main)

    assert (one, two) == (1, 2)  # the session began again after the failed statement
    assert isinstance(error, ProgrammingError) and "no_such_table" in str(error)
    assert reads.waves == 1


@ON_POSTGRESQL
def test_the_twin_keeps_a_requests_statement_timeout(engine):
    async def main(twin):
        reads = RequestReads(engine, twin=twin)
        shown = await reads(lambda s: s.execute(text("SHOW statement_timeout")).scalar_one())
        connection = await twin.connect()
        driver = (await connection.get_raw_connection()).driver_connection
        waits = driver.wait_timeout
        await connection.close()
        return shown, waits

    shown, waits = _on_a_twin(engine, main)

    assert shown == "7s"
    assert waits == 7 + 5  # the statement's time, and the usual wait for its answer


def test_an_unreachable_database_fails_the_whole_wave_within_the_timeout():
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:9/none", timeout=1)  # nothing listens
    tried = []

    def noting(n: int):
        return value(n, lambda _: tried.append(n))

    async def main(twin):
        reads = RequestReads(engine, twin=twin)
        started = time.monotonic()
        errors = await asyncio.gather(*(reads(noting(n)) for n in range(3)), return_exceptions=True)
        return errors, time.monotonic() - started

    errors, seconds = _on_a_twin(engine, main)

    assert all(isinstance(error, OperationalError) for error in errors), errors
    assert tried == [0]  # the others failed with the first, without trying
    assert seconds < 3
    engine.dispose()


@ON_POSTGRESQL
def test_an_application_reads_through_a_twin_for_its_life(make_client, database_url):
    client = make_client(database_url)
    graphql_app = next(route.app for route in client.app.routes if getattr(route, "path", "") == "/graphql")
    twin = client.app.state.twin

    assert twin is not None and graphql_app.twin is twin and origin_of(twin.sync_engine) is graphql_app.engine
    assert "errors" not in graphql(client, "{ departments { code } }")
    assert twin.sync_engine.pool.checkedin() >= 1  # the request's connection, back in the twin's pool

    client.__exit__(None, None, None)

    assert graphql_app.twin is None
