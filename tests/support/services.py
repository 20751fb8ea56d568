"""The machine's real services, and the rule for when a test may skip without them.

A test skips only when the service is unreachable *and* ``SALON_REQUIRE_SERVICES`` is unset;
CI sets it, so there an unreachable service fails the run instead of hiding it.
"""

from __future__ import annotations

import os
import socket

import pytest

POSTGRES_ADMIN_URL = os.environ.get(
    "SALON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("SALON_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RABBITMQ_URL = os.environ.get("SALON_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")

_PORTS = {"postgresql": ("127.0.0.1", 5432), "redis": ("127.0.0.1", 6379), "rabbitmq": ("127.0.0.1", 5672)}


def reachable(service: str) -> bool:
    host, port = _PORTS[service]
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require(service: str) -> None:
    if reachable(service):
        return
    message = f"{service} is not reachable on {_PORTS[service][0]}:{_PORTS[service][1]}"
    if os.environ.get("SALON_REQUIRE_SERVICES"):
        pytest.fail(message + " and SALON_REQUIRE_SERVICES is set")
    pytest.skip(message)
