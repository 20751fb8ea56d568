"""When PostgreSQL is unreachable, requests fail fast with a clean error, /healthz says so, and
everything recovers by itself when the database is back (a proxy in between plays the outage)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import make_url

from domain.errors import DATABASE_UNAVAILABLE
from tests.api.conftest import act_as, graphql

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

TIMEOUT = 2  # SALON_DATABASE_TIMEOUT for these tests, in seconds
QUERY = "{ departments { code } periods }"
MANAGER = ("manager", "P1", "PROD")  # resolving a manager reads the database


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
    assert outage_client.get("/healthz").json() == {"status": "ok", "database": "ok", "broker": "embedded"}

    proxy.stop() if outage == "stopped" else proxy.blackhole()
    response, seconds = _timed(lambda: outage_client.post("/graphql", json={"query": QUERY}))
    health, health_seconds = _timed(lambda: outage_client.get("/healthz"))

    assert response.status_code == 200
    _assert_clean_unavailable(response)
    assert seconds < 2 * TIMEOUT + 1, seconds  # a connect timeout, not a hang
    if outage == "blackhole":
        assert seconds >= TIMEOUT * 0.9  # nothing answered: the connect timeout is what ended it
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": "unreachable", "broker": "embedded"}
    assert health_seconds < TIMEOUT + 1

    proxy.start()

    assert "errors" not in graphql(outage_client, QUERY)
    assert outage_client.get("/healthz").status_code == 200


def _assert_masked_with_request_id(response) -> dict:
    _assert_clean_unavailable(response)
    (error,) = response.json()["errors"]
    assert error["extensions"]["requestId"] == response.headers["X-Request-ID"]
    return error


def test_a_mutation_while_the_database_is_stopped_is_masked_and_logged(outage_client, proxy, caplog):
    proxy.stop()

    response = outage_client.post("/graphql", json={"query": "mutation { recompute { id } }"})

    assert response.status_code == 200
    error = _assert_masked_with_request_id(response)
    request_id = error["extensions"]["requestId"]
    logged = [r.getMessage() for r in caplog.records if request_id in r.getMessage()]
    assert any("database unavailable" in line for line in logged), logged
    # the audit entry could not be written: the log keeps it, with the same request id
    assert any("audit entry not written" in line and "mutation:recompute:failed" in line for line in logged)
    assert not any("psycopg" in r.getMessage() or "5432" in r.getMessage() for r in caplog.records)


def test_the_audit_write_alone_failing_is_masked(outage_client, proxy, caplog):
    """An HR admin is resolved without the database, and a month outside the plannable years is
    refused before any work: only the audit write meets the outage."""
    proxy.stop()

    response = outage_client.post(
        "/graphql", json={"query": 'mutation { planMonth(month: "1999-01") { id } }'}
    )

    assert response.status_code == 200
    body = response.json()
    assert not any(leak in response.text.lower() for leak in ("psycopg", "sqlalchemy", "127.0.0.1"))
    codes = [e["extensions"]["code"] for e in body["errors"]]
    assert "DATABASE_UNAVAILABLE" in codes
    request_id = response.headers["X-Request-ID"]
    unavailable = [e for e in body["errors"] if e["extensions"]["code"] == "DATABASE_UNAVAILABLE"]
    assert all(e["extensions"]["requestId"] == request_id for e in unavailable)
    assert any(
        "audit entry not written" in r.getMessage() and request_id in r.getMessage() for r in caplog.records
    )


def test_the_viewer_lookup_while_the_database_is_stopped_is_masked(outage_client, proxy, caplog):
    manager = act_as(outage_client, *MANAGER)
    proxy.stop()

    response = manager.post("/graphql", json={"query": QUERY})

    assert response.status_code == 503
    error = _assert_masked_with_request_id(response)
    assert any(
        error["extensions"]["requestId"] in r.getMessage() and "database unavailable" in r.getMessage()
        for r in caplog.records
    )
