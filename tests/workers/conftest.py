"""Brokers for worker tests: the embedded stub, and the machine's Redis and RabbitMQ."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import dramatiq
import pytest
from sqlmodel import Session

from domain.models import Job, JobStatus
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


def wait_for_job(engine, job_id: str, timeout: float = 30.0) -> Job:
    """Poll the Job row until it is final: what a client of any broker would do."""
    deadline = time.monotonic() + timeout
    while True:
        with Session(engine) as session:
            job = session.get(Job, job_id)
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED) or time.monotonic() > deadline:
            return job
        time.sleep(0.05)
