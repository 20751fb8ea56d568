"""API test clients. Every client sends an ``hr_admin`` token unless told otherwise:
``make_client(url, engine, role=..., subject=..., department=...)`` starts one for another
viewer, and ``act_as(client, role, subject, department)`` gives a view of a running client
that sends another viewer's token (the same app, so no second embedded worker)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.tokens import mint
from domain.settings import Settings, load_settings
from tests.api import org

ADMIN = ("hr_admin", "hr-admin", None)


def bearer(settings: Settings, role: str, subject: str, department: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint(settings, role, subject, department)}"}


@pytest.fixture
def make_client():
    """Start the app (lifespan included: migrations check, broker, embedded worker).

    The monthly planning scheduler and the reminder check are off unless a test passes
    ``SALON_PLAN_DAY`` or ``SALON_REMIND_MINUTES``: tests plan and remind explicitly, and background
    jobs would otherwise appear in unrelated tests."""
    clients = []

    def start(
        database_url: str,
        engine=None,
        *,
        role: str = ADMIN[0],
        subject: str = ADMIN[1],
        department: str | None = None,
        **environ: str,
    ) -> TestClient:
        settings = load_settings(
            {
                "SALON_DATABASE_URL": database_url,
                "SALON_PLAN_DAY": "off",
                "SALON_REMIND_MINUTES": "off",
                **environ,
            }
        )
        headers = bearer(settings, role, subject, department) if role else {}
        client = TestClient(create_app(settings, engine), headers=headers)
        client.__enter__()
        clients.append(client)
        return client

    yield start
    for client in clients:
        client.__exit__(None, None, None)


class ActingClient:
    """``client``'s app, with another viewer's token on every request."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def _merged(self, kwargs: dict) -> dict:
        return {**kwargs, "headers": {**self.headers, **(kwargs.get("headers") or {})}}

    def post(self, url: str, **kwargs):
        return self.client.post(url, **self._merged(kwargs))

    def get(self, url: str, **kwargs):
        return self.client.get(url, **self._merged(kwargs))


def act_as(client: TestClient, role: str, subject: str, department: str | None = None) -> ActingClient:
    return ActingClient(client, bearer(client.app.state.settings, role, subject, department))


@pytest.fixture
def client(make_client, database_url, engine) -> TestClient:
    return make_client(database_url, engine)


@pytest.fixture
def demo_client(make_client, demo_database_url, demo_engine) -> TestClient:
    return make_client(demo_database_url, demo_engine)


@pytest.fixture
def company(client, engine) -> TestClient:
    """The small company of ``tests.api.org`` (P1 manages PROD), served to an HR admin's client."""
    org.build(engine)
    return client


def graphql(client: TestClient | ActingClient, query: str, **variables) -> dict:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()
