"""Brokers for worker tests: the embedded stub, and the machine's Redis and RabbitMQ."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import dramatiq
import pytest

from domain.settings import load_settings
from tests.support import services
from workers import broker as broker_setup
from workers import embedded, runtime

BROKERS = [
    "stub",
    pytest.param("redis", marks=pytest.mark.redis),
    pytest.param("rabbitmq", marks=pytest.mark.rabbitmq),
]


def make_test_broker(kind: str) -> dramatiq.Broker:
    if kind == "stub":
        return broker_setup.make_broker("stub://")
    if kind == "redis":
        services.require("redis")
        return broker_setup.make_broker(services.REDIS_URL, namespace=f"salon-test-{uuid.uuid4().hex[:8]}")
    services.require("rabbitmq")
    return broker_setup.make_broker(services.RABBITMQ_URL)


@pytest.fixture(
    params=[
        pytest.param("redis", marks=pytest.mark.redis),
        pytest.param("rabbitmq", marks=pytest.mark.rabbitmq),
    ]
)
def broker_url(request) -> str:
    """The URL of an external broker, for tests that run ``salon worker`` processes."""
    services.require(request.param)
    return services.REDIS_URL if request.param == "redis" else services.RABBITMQ_URL


@pytest.fixture
def running_worker(request, engine) -> Iterator[dramatiq.Broker]:
    """A broker of the requested kind with an in-process worker, actors bound to ``engine``."""
    kind = getattr(request, "param", "stub")
    runtime.configure(load_settings({}), engine)
    broker = broker_setup.install(make_test_broker(kind))
    broker.flush_all()  # RabbitMQ keeps queues between runs; start from nothing
    worker = embedded.start_worker(broker, threads=2, poll_ms=100)
    yield broker
    worker.stop(timeout=5_000)
    broker.flush_all()
    broker.close()


from tests.support.jobs import wait_for_job  # noqa: E402,F401  (its home is tests.support.jobs)
