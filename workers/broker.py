"""The broker, chosen by ``SALON_BROKER_URL``: embedded (stub://), Redis or RabbitMQ."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import Retries
from redis.backoff import NoBackoff
from redis.retry import Retry

from domain.settings import Settings
from workers import runtime
from workers.job_statements import JobStatements
from workers.redis_maintenance import MaintainedRedisBroker, RedisMaintenance
from workers.relay import Relay
from workers.retry_budget import RetriesWithinBudget
from workers.tracking import JobTracking


def make_broker(
    url: str,
    *,
    namespace: str = "salon",
    heartbeat_timeout_ms: int = 60_000,
    maintenance_chance: int = 1_000,
    timeout: int = 5,
    retry_budget: timedelta = timedelta(minutes=15),
    stale_after: timedelta = timedelta(minutes=10),
) -> dramatiq.Broker:
    """``timeout`` (seconds) bounds connecting to the broker and waiting for its answers, so
    sending a message fails instead of hanging when the broker or the network goes silent.

    ``heartbeat_timeout_ms`` decides how soon a dead Redis worker's unacknowledged messages are
    delivered again: a worker is dead after that long without a heartbeat, and every worker runs
    the maintenance that requeues them every half of it (:mod:`workers.redis_maintenance`), besides
    the random pass ``maintenance_chance`` (per million Redis commands) gives.

    ``retry_budget``: how long a failing job is retried (:mod:`workers.retry_budget`);
    ``stale_after``: how long a RUNNING job may go without a heartbeat before the relay
    (:mod:`workers.relay`, in every worker) runs it again."""
    if url.startswith("stub:"):
        broker: dramatiq.Broker = StubBroker(fail_fast_default=False)
    elif url.startswith("redis"):
        broker = MaintainedRedisBroker(
            client=_redis_client(url, timeout),
            namespace=namespace,
            heartbeat_timeout=heartbeat_timeout_ms,
            maintenance_chance=maintenance_chance,
        )
        broker.add_middleware(RedisMaintenance(interval=heartbeat_timeout_ms / 2000))
    elif url.startswith("amqp"):
        broker = RabbitmqBroker(url=_rabbitmq_url(url, timeout), confirm_delivery=True)
    else:
        raise ValueError(f"unsupported broker URL {url!r}")
    _retry_within(broker, retry_budget)
    # after-hooks run in reverse order: placed before Retries, JobTracking sees its verdict
    broker.add_middleware(JobTracking(), before=RetriesWithinBudget)
    broker.add_middleware(JobStatements())
    broker.add_middleware(Relay(runtime.engine, stale_after))
    return broker


def _retry_within(broker: dramatiq.Broker, budget: timedelta) -> None:
    """Dramatiq's default Retries, in its place, replaced by one that counts time."""
    index = next(i for i, middleware in enumerate(broker.middleware) if isinstance(middleware, Retries))
    broker.middleware[index] = RetriesWithinBudget(budget)


def relay_of(broker: dramatiq.Broker) -> Relay | None:
    return next((m for m in broker.middleware if isinstance(m, Relay)), None)


def _redis_client(url: str, timeout: int) -> redis.Redis:
    """Every socket operation within ``timeout``; a failed command is tried once more on a new
    connection (a restarted Redis), so a command fails within twice ``timeout``."""
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        socket_keepalive=True,
        retry=Retry(NoBackoff(), 1),
    )


def _rabbitmq_url(url: str, timeout: int) -> str:
    """pika's bounds, as URL parameters unless the URL sets them: connecting (the TCP socket,
    then the whole AMQP handshake) and a silent connection (heartbeats both ways; pika checks
    every heartbeat + 5 s) — which ends a publish waiting for its confirmation."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    for name, value in (
        ("heartbeat", timeout),
        ("socket_timeout", timeout),
        ("stack_timeout", timeout),
        ("blocked_connection_timeout", timeout),
        ("connection_attempts", 1),
    ):
        query.setdefault(name, str(value))
    return urlunsplit(parts._replace(query=urlencode(query)))


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
    """The deployment's broker; its workers also run the monthly planning scheduler and the
    reminder check."""
    broker = make_broker(
        settings.broker_url,
        heartbeat_timeout_ms=settings.redis_heartbeat_timeout_ms,
        maintenance_chance=settings.redis_maintenance_chance,
        timeout=settings.broker_timeout,
        retry_budget=timedelta(minutes=settings.job_retry_minutes),
        stale_after=timedelta(minutes=settings.job_stale_after),
    )
    if settings.plan_day is not None:
        from workers import runtime
        from workers.scheduler import PlanningScheduler

        broker.add_middleware(PlanningScheduler(runtime.engine, settings.plan_day))
    if settings.remind_minutes is not None:
        from workers import runtime  # (a local name here, as above)
        from workers.notifications import ReminderScheduler

        broker.add_middleware(ReminderScheduler(runtime.engine, settings.remind_minutes * 60))
    return install(broker)


def _has_global_broker() -> bool:
    return dramatiq.broker.global_broker is not None
