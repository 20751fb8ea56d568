"""Sending a message fails within the broker timeout's bound when the broker's network goes
silent (a proxy in between partitions it mid-session), instead of hanging the request."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import dramatiq
import pytest

from tests.support import services
from tests.support.proxy import TcpProxy
from workers import broker as broker_setup

TIMEOUT = 2  # SALON_BROKER_TIMEOUT for these tests, in seconds
HANG = 120
# Redis: the command's read, then one more try on a new connection. RabbitMQ: pika notices a
# silent connection within two heartbeat checks (heartbeat + 5 s each), then Dramatiq's five
# more attempts each end at the connection's stack timeout.
BOUNDS = {"redis": 2 * TIMEOUT + 1, "rabbitmq": 2 * (TIMEOUT + 5) + 5 * TIMEOUT + 2}


@pytest.fixture(
    params=[
        pytest.param("redis", marks=pytest.mark.redis),
        pytest.param("rabbitmq", marks=pytest.mark.rabbitmq),
    ]
)
def kind(request) -> str:
    services.require(request.param)
    return request.param


@pytest.fixture
def proxied(kind) -> Iterator[tuple[TcpProxy, str]]:
    url = services.REDIS_URL if kind == "redis" else services.RABBITMQ_URL
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname, parts.port)
    proxy.start()
    yield proxy, parts._replace(netloc=parts.netloc.replace(f":{parts.port}", f":{proxy.port}")).geturl()
    proxy.stop()


def test_sending_through_a_silent_network_fails_within_the_bound(kind, proxied):
    proxy, url = proxied
    broker = broker_setup.make_broker(url, namespace="salon-timeout-test", timeout=TIMEOUT)
    queue = "salon-timeout-test"
    broker.declare_queue(queue)
    message = dramatiq.Message(queue_name=queue, actor_name="nothing", args=(), kwargs={}, options={})
    try:
        with ThreadPoolExecutor(1) as pool:  # one thread: RabbitMQ connections are per thread
            pool.submit(broker.enqueue, message).result(timeout=HANG)  # a connection open and working
            proxy.partition()
            started = time.monotonic()
            error = pool.submit(broker.enqueue, message).exception(timeout=HANG)
            seconds = time.monotonic() - started
        print(f"{kind}: enqueue failed after {seconds:.1f} s ({type(error).__name__})")

        assert error is not None, "the message was sent through a silent network"
        assert seconds < BOUNDS[kind], seconds
        proxy.start()
        broker.enqueue(message)  # and it works again
    finally:
        proxy.start()
        broker.flush_all()
        broker.close()
