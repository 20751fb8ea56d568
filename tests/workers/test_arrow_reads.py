"""ADBC reads keep their connections: reused, replaced when the server dropped one, not shared
between threads nor with a forked child."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator

import polars as pl
import pytest
from sqlalchemy import create_engine, make_url, text

from tests.support import databases, services
from workers import arrow_reads

pytestmark = pytest.mark.postgres

PID = pl.Schema({"pid": pl.Int64})
WHO = "SELECT pg_backend_pid() AS pid"


@pytest.fixture
def libpq() -> Iterator[str]:
    services.require("postgresql")
    arrow_reads.close_all()
    with databases.postgres_database() as url:
        yield make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        arrow_reads.close_all()


def _pid(libpq: str, sql: str = WHO) -> int:
    return arrow_reads.read(libpq, sql, PID).item()


def test_reads_one_after_another_share_one_connection(libpq):
    first = _pid(libpq)

    assert _pid(libpq) == first


def test_a_connection_the_server_dropped_is_replaced_and_the_read_succeeds(libpq):
    dropped = _pid(libpq)
    admin = create_engine(libpq, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        assert connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
    admin.dispose()

    again = _pid(libpq)

    assert again != dropped
    assert _pid(libpq) == again  # and the new one is kept


def test_reads_at_the_same_time_each_have_their_own_connection(libpq):
    started = threading.Barrier(3)
    pids: list[int] = []

    def read() -> None:
        started.wait()
        pids.append(_pid(libpq, f"{WHO}, pg_sleep(0.3)::text AS slept"))

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(set(pids)) == 3
    assert _pid(libpq) in pids  # given back, and taken again


def _child_takes(libpq: str, answer) -> None:
    # no Polars in a forked child (its thread pool does not survive a fork): only the hand-over
    answer.send(arrow_reads._IDLE.take(libpq) is None)


def test_a_forked_child_is_not_handed_its_parents_connection(libpq):
    parent = _pid(libpq)
    receiving, sending = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_child_takes, args=(libpq, sending))

    child.start()
    handed_nothing = receiving.recv()
    child.join(timeout=30)

    assert child.exitcode == 0 and handed_nothing
    assert _pid(libpq) == parent  # the parent's connection is still its own


def test_a_failing_query_raises_and_does_not_keep_a_broken_connection(libpq):
    before = _pid(libpq)

    with pytest.raises(Exception, match="no_such_table"):
        arrow_reads.read(libpq, "SELECT pid FROM no_such_table", PID)

    assert _pid(libpq) != before  # the connection that failed was closed, not kept
