"""A network path to PostgreSQL that goes silent mid-session (no reset, nothing answered) fails
a query within the engine's bounds instead of hanging, as an unavailable database, and the
engine recovers when the path is back. Statement timeouts: short for requests, long for jobs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import OperationalError

from domain.db import job_statements, make_engine
from domain.errors import is_database_unavailable

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

TIMEOUT = 2  # SALON_DATABASE_TIMEOUT for these tests, in seconds
STATEMENT_TIMEOUT = 1
HANG = 60  # how long a test waits before calling a query hung


@pytest.fixture
def proxied_engine(database_url, proxy) -> Iterator[Engine]:
    proxied = make_url(database_url).set(host="127.0.0.1", port=proxy.port)
    engine = make_engine(
        proxied.render_as_string(hide_password=False), TIMEOUT, statement_timeout=STATEMENT_TIMEOUT
    )
    yield engine
    engine.dispose()


def _query(engine: Engine, sql: str = "SELECT 1") -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def _timed_failure(call) -> tuple[BaseException, float]:
    """Run ``call`` in a thread (so a hang fails the test instead of stalling it)."""
    started = time.monotonic()
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(call)
        error = future.exception(timeout=HANG)
    assert error is not None, "the query succeeded through a silent network"
    return error, time.monotonic() - started


def test_a_silent_network_fails_a_pooled_connection_within_the_timeout_and_recovers(proxied_engine, proxy):
    with ThreadPoolExecutor(3) as pool:  # three connections in the pool, all about to go silent
        assert (
            list(pool.map(lambda _: _query(proxied_engine, "SELECT 1 FROM pg_sleep(0.2)"), range(3)))
            == [1] * 3
        )

    proxy.partition()
    error, seconds = _timed_failure(lambda: _query(proxied_engine))

    assert is_database_unavailable(error), repr(error)
    # the ping's wait on a pooled connection, then one new connection's connect timeout
    assert seconds < 2 * TIMEOUT + 1, seconds
    print(f"partition: first query failed after {seconds:.2f} s")
    again, again_seconds = _timed_failure(lambda: _query(proxied_engine))
    assert is_database_unavailable(again) and again_seconds < 2 * TIMEOUT + 1, again_seconds

    proxy.start()

    assert _query(proxied_engine) == 1


def test_a_statement_in_flight_when_the_network_goes_silent_fails_within_its_bound(proxied_engine, proxy):
    assert _query(proxied_engine) == 1

    def slow_statement():
        return _query(proxied_engine, "SELECT 1 FROM pg_sleep(0.5)")

    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        future = pool.submit(slow_statement)
        time.sleep(0.2)
        proxy.partition()
        error = future.exception(timeout=HANG)
        seconds = time.monotonic() - started

    assert error is not None and is_database_unavailable(error), repr(error)
    # its statement timeout, then the wait for the server's answer (which never comes)
    assert STATEMENT_TIMEOUT + TIMEOUT - 0.5 < seconds < STATEMENT_TIMEOUT + TIMEOUT + 1, seconds
    proxy.start()
    assert _query(proxied_engine) == 1


def test_requests_get_the_short_statement_timeout_and_jobs_the_long_one(database_url):
    engine = make_engine(database_url, TIMEOUT, statement_timeout=STATEMENT_TIMEOUT, job_statement_timeout=60)
    try:
        with pytest.raises(OperationalError, match="statement timeout"):
            _query(engine, "SELECT 1 FROM pg_sleep(1.5)")
        with job_statements():
            assert _query(engine, "SELECT 1 FROM pg_sleep(1.5)") == 1
        assert _query(engine, "SELECT current_setting('statement_timeout')") == "1s"  # back for requests
    finally:
        engine.dispose()
