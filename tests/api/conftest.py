from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from api.app import create_app
from domain.db import make_engine
from domain.settings import load_settings


@pytest.fixture
def make_client():
    """Start the app (lifespan included: migrations check, broker, embedded worker).

    The monthly planning scheduler is off unless a test passes ``SALON_PLAN_DAY``: tests plan
    explicitly, and a background planning job would otherwise appear in unrelated tests."""
    clients = []

    def start(database_url: str, engine=None, **environ: str) -> TestClient:
        settings = load_settings({"SALON_DATABASE_URL": database_url, "SALON_PLAN_DAY": "off", **environ})
        client = TestClient(create_app(settings, engine))
        client.__enter__()
        clients.append(client)
        return client

    yield start
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client, database_url, engine) -> TestClient:
    return make_client(database_url, engine)


@pytest.fixture
def demo_engine(demo_database_url) -> Iterator[Engine]:
    engine = make_engine(demo_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_client(make_client, demo_database_url, demo_engine) -> TestClient:
    return make_client(demo_database_url, demo_engine)


def graphql(client: TestClient, query: str, **variables) -> dict:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()
