"""``/healthz``: the database and the broker, reported separately.

The API serves reads while the broker is down (only new jobs wait), so that is "degraded"
with 200; without the database it can serve nothing: "unavailable" with 503. The broker is
probed on a connection of its own, bounded by ``BROKER_TIMEOUT``, and the answer is kept for
``BROKER_TTL`` so frequent health checks cannot hammer the broker.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import anyio
from anyio import to_thread
from sqlalchemy import Engine, text
from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger(__name__)
BROKER_TIMEOUT = 2  # seconds a broker probe may take
BROKER_TTL = 5.0  # seconds a broker probe's answer is reused


def database_ok(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001  (any failure means "not reachable"; the log has details)
        log.warning("health check: database unreachable", exc_info=True)
        return False


def _redis_probe(url: str) -> Callable[[], None]:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(
        url, socket_timeout=BROKER_TIMEOUT, socket_connect_timeout=BROKER_TIMEOUT, retry=Retry(NoBackoff(), 0)
    )
    return lambda: client.ping()


def _rabbitmq_probe(url: str) -> Callable[[], None]:
    import pika

    parameters = pika.URLParameters(url)
    parameters.socket_timeout = BROKER_TIMEOUT
    parameters.stack_timeout = BROKER_TIMEOUT
    parameters.blocked_connection_timeout = BROKER_TIMEOUT
    parameters.connection_attempts = 1
    parameters.retry_delay = 0

    def probe() -> None:
        connection = pika.BlockingConnection(parameters)
        try:
            connection.channel().close()
        finally:
            connection.close()

    return probe


class BrokerHealth:
    """ "ok", "unreachable", or "embedded" (the in-process broker, up while the server is)."""

    def __init__(self, url: str, ttl: float | None = None) -> None:
        self.ttl = BROKER_TTL if ttl is None else ttl
        self._probe: Callable[[], None] | None = None
        if url.startswith("redis"):
            self._probe = _redis_probe(url)
        elif url.startswith("amqp"):
            self._probe = _rabbitmq_probe(url)
        self._answer: tuple[float, str] | None = None
        self._lock = anyio.Lock()

    def _check(self) -> str:
        try:
            self._probe()
            return "ok"
        except Exception as error:  # noqa: BLE001  (any failure means "not reachable")
            log.warning("health check: broker unreachable (%s)", type(error).__name__)
            return "unreachable"

    async def state(self) -> str:
        if self._probe is None:
            return "embedded"
        async with self._lock:  # concurrent checks share one probe
            if self._answer is None or time.monotonic() - self._answer[0] > self.ttl:
                self._answer = (time.monotonic(), await to_thread.run_sync(self._check))
            return self._answer[1]


async def report(engine: Engine, broker: BrokerHealth) -> tuple[dict[str, str], int]:
    """The body and status code of ``/healthz``."""
    database = await to_thread.run_sync(database_ok, engine)
    broker_state = await broker.state()
    if not database:
        status, code = "unavailable", 503
    else:
        status, code = ("degraded" if broker_state == "unreachable" else "ok"), 200
    body = {"status": status, "database": "ok" if database else "unreachable", "broker": broker_state}
    return body, code


def route(engine: Engine, broker_url: str):
    """The ``/healthz`` route, with one broker probe shared by every request to it."""
    broker = BrokerHealth(broker_url)

    async def healthz(request: Request) -> JSONResponse:
        body, status = await report(engine, broker)
        return JSONResponse(body, status_code=status)

    return healthz
