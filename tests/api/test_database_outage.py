"""When PostgreSQL is unreachable, requests fail fast with a clean error, /healthz says so, and
everything recovers by itself when the database is back (a proxy in between plays the outage)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url

from domain.errors import DATABASE_UNAVAILABLE
from tests.api.conftest import graphql
from tests.support.proxy import TcpProxy

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

TIMEOUT = 2  # SALON_DATABASE_TIMEOUT for these tests, in seconds
QUERY = "{ departments { code } periods }"


@pytest.fixture
def proxy(database_url) -> Iterator[TcpProxy]:
    url = make_url(database_url)
    proxy = TcpProxy(url.host, url.port or 5432)
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture
def outage_client(make_client, database_url, proxy):
    proxied = make_url(database_url).set(host="127.0.0.1", port=proxy.port)
    return make_client(proxied.render_as_string(hide_password=False), SALON_DATABASE_TIMEOUT=str(TIMEOUT))


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def _assert_clean_unavailable(response) -> None:
    (error,) = response.json()["errors"]
    assert error["message"] == DATABASE_UNAVAILABLE
    assert error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    text = response.text.lower()
    assert not any(
        leak in text for leak in ("psycopg", "sqlalchemy", "5432", "127.0.0.1", "connection to server")
    )


@pytest.mark.parametrize("outage", ["stopped", "blackhole"])
def test_requests_fail_fast_while_the_database_is_away_and_recover_when_it_returns(
    outage_client, proxy, outage
):
    assert "errors" not in graphql(outage_client, QUERY)
    assert outage_client.get("/healthz").json() == {"status": "ok", "database": "ok"}

    proxy.stop() if outage == "stopped" else proxy.blackhole()
    response, seconds = _timed(lambda: outage_client.post("/graphql", json={"query": QUERY}))
    health, health_seconds = _timed(lambda: outage_client.get("/healthz"))

    assert response.status_code == 200
    _assert_clean_unavailable(response)
    assert seconds < 2 * TIMEOUT + 1, seconds  # a connect timeout, not a hang
    if outage == "blackhole":
        assert seconds >= TIMEOUT * 0.9  # nothing answered: the connect timeout is what ended it
    assert health.status_code == 503 and health.json() == {"status": "unavailable", "database": "unreachable"}
    assert health_seconds < TIMEOUT + 1

    proxy.start()

    assert "errors" not in graphql(outage_client, QUERY)
    assert outage_client.get("/healthz").status_code == 200
