"""The broker, chosen by ``SALON_BROKER_URL``: embedded (stub://), Redis or RabbitMQ."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import Retries

from domain.settings import Settings
from workers.tracking import JobTracking


def make_broker(
    url: str,
    *,
    namespace: str = "salon",
    heartbeat_timeout_ms: int = 60_000,
    maintenance_chance: int = 1_000,
) -> dramatiq.Broker:
    """``heartbeat_timeout_ms`` and ``maintenance_chance`` (per million Redis commands) decide
    how soon a dead Redis worker's unacknowledged messages are delivered again: a worker is
    dead after that long without a heartbeat, and a maintenance pass requeues its messages."""
    if url.startswith("stub:"):
        broker: dramatiq.Broker = StubBroker(fail_fast_default=False)
    elif url.startswith("redis"):
        broker = RedisBroker(
            url=url,
            namespace=namespace,
            heartbeat_timeout=heartbeat_timeout_ms,
            maintenance_chance=maintenance_chance,
        )
    elif url.startswith("amqp"):
        broker = RabbitmqBroker(url=url, confirm_delivery=True)
    else:
        raise ValueError(f"unsupported broker URL {url!r}")
    # after-hooks run in reverse order: placed before Retries, JobTracking sees its verdict
    broker.add_middleware(JobTracking(), before=Retries)
    return broker


def install(broker: dramatiq.Broker) -> dramatiq.Broker:
    """Make ``broker`` the global one and move every declared actor onto it.

    Actors bind their broker when declared; re-binding lets the server and the tests choose
    the broker after ``workers.actors`` was imported.
    """
    previous = dramatiq.get_broker() if _has_global_broker() else None
    dramatiq.set_broker(broker)
    if previous is not None and previous is not broker:
        for name in previous.get_declared_actors():
            actor = previous.get_actor(name)
            actor.broker = broker
            broker.declare_actor(actor)
    return broker


def setup(settings: Settings) -> dramatiq.Broker:
    """The deployment's broker; its workers also run the monthly planning scheduler."""
    broker = make_broker(
        settings.broker_url,
        heartbeat_timeout_ms=settings.redis_heartbeat_timeout_ms,
        maintenance_chance=settings.redis_maintenance_chance,
    )
    if settings.plan_day is not None:
        from workers import runtime
        from workers.scheduler import PlanningScheduler

        broker.add_middleware(PlanningScheduler(runtime.engine, settings.plan_day))
    return install(broker)


def _has_global_broker() -> bool:
    return dramatiq.broker.global_broker is not None
