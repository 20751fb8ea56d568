"""``/healthz`` reports the database and the broker apart: a broker that is down leaves the API
serving reads ("degraded", 200); a proxy in front of Redis and RabbitMQ plays the outage."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url

from api.http import health
from tests.api.conftest import graphql
from tests.support import services
from tests.support.proxy import TcpProxy
from workers import broker as broker_setup

TTL = 1.0  # seconds a broker probe's answer is reused, in these tests


@pytest.fixture(
    params=[
        pytest.param("redis", marks=pytest.mark.redis),
        pytest.param("rabbitmq", marks=pytest.mark.rabbitmq),
    ]
)
def broker_proxy(request) -> Iterator[tuple[TcpProxy, str]]:
    services.require(request.param)
    url = make_url(services.REDIS_URL if request.param == "redis" else services.RABBITMQ_URL)
    proxy = TcpProxy(url.host, url.port)
    proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    yield proxy, proxied
    proxy.stop()


@pytest.fixture
def broker_client(make_client, database_url, broker_proxy, monkeypatch):
    monkeypatch.setattr(health, "BROKER_TTL", TTL)
    yield make_client(database_url, SALON_BROKER_URL=broker_proxy[1])
    broker_setup.install(broker_setup.make_broker("stub://"))  # back to the tests' embedded broker


def _health(client) -> tuple[int, dict, float]:
    started = time.monotonic()
    response = client.get("/healthz")
    return response.status_code, response.json(), time.monotonic() - started


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("outage", ["stopped", "blackhole"])
def test_a_broker_outage_is_degraded_not_unavailable(broker_client, broker_proxy, outage):
    proxy, _ = broker_proxy
    assert _health(broker_client)[:2] == (200, {"status": "ok", "database": "ok", "broker": "ok"})

    proxy.stop() if outage == "stopped" else proxy.blackhole()
    cached = _health(broker_client)
    time.sleep(TTL + 0.1)
    code, body, seconds = _health(broker_client)

    assert cached[:2] == (200, {"status": "ok", "database": "ok", "broker": "ok"})  # within the TTL
    assert (code, body) == (200, {"status": "degraded", "database": "ok", "broker": "unreachable"})
    assert seconds < health.BROKER_TIMEOUT + 1, seconds
    assert "errors" not in graphql(broker_client, "{ departments { code } }")  # reads still served

    proxy.start()
    time.sleep(TTL + 0.1)
    assert _health(broker_client)[:2] == (200, {"status": "ok", "database": "ok", "broker": "ok"})
