"""Shared fixtures: databases on SQLite and PostgreSQL, brokers, and the app's runtime.

The broker must exist before any actor is declared, so ``workers.actors`` is imported here,
first, with the embedded default.
"""

from __future__ import annotations

import os
import uuid

os.environ.pop("SALON_BROKER_URL", None)  # the tests choose their brokers themselves
# A queue of this run's own: two runs on one RabbitMQ would otherwise take each other's messages.
# Only once: ``from tests.conftest import ...`` runs this module a second time (as another module
# than pytest's ``conftest``), and a new name then would send subprocess workers to another queue
# than the one the actors were declared on.
if not os.environ.get("SALON_QUEUE", "").startswith("salon-test-"):
    os.environ["SALON_QUEUE"] = f"salon-test-{uuid.uuid4().hex[:8]}"

# The product's tests see the product's own plugins only, whatever else is installed here (the
# example plugin `make test` installs, a developer's own): the others are disabled as an
# operator would disable them, for this process and the `salon` commands the tests start.
from tests.support.plugin_dists import foreign_plugins  # noqa: E402

if foreign_plugins():
    os.environ["SALON_DISABLE_PLUGINS"] = ",".join(foreign_plugins())

import shutil  # noqa: E402
from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import Engine, make_url  # noqa: E402

import workers.actors  # noqa: E402,F401  (declares the actors on the default stub broker)
from domain import migrate  # noqa: E402
from domain.db import make_engine  # noqa: E402
from domain.demo.load import load_demo  # noqa: E402
from domain.settings import load_settings  # noqa: E402
from tests.support import databases, services  # noqa: E402
from tests.support.proxy import TcpProxy  # noqa: E402

DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _prepare(url: str, with_demo: bool) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    if with_demo:
        load_demo(engine, secret=load_settings().secret_key)
    engine.dispose()


def _postgres_template(with_demo: bool) -> Iterator[str]:
    services.require("postgresql")
    url = databases.create_postgres_database()
    _prepare(url, with_demo)
    yield make_url(url).database
    databases.drop_postgres_database(url)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated PostgreSQL database that each test clones (much faster than migrating)."""
    yield from _postgres_template(with_demo=False)


@pytest.fixture(scope="session")
def postgres_demo_template() -> Iterator[str]:
    """The same, holding the demo company."""
    yield from _postgres_template(with_demo=True)


@pytest.fixture(scope="session")
def sqlite_file(tmp_path_factory) -> str:
    """A migrated SQLite file that each test copies (migrating costs 0.4 s: six table copies)."""
    path = tmp_path_factory.mktemp("migrated") / "salon.db"
    _prepare(f"sqlite:///{path}", with_demo=False)
    return str(path)


@pytest.fixture(scope="session")
def sqlite_demo_file(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    _prepare(f"sqlite:///{path}", with_demo=True)
    return str(path)


@pytest.fixture(scope="session", autouse=True)
def _delete_run_queues() -> Iterator[None]:
    """RabbitMQ queues are durable: drop this run's own queues (see SALON_QUEUE above) at the end."""
    yield
    if not services.reachable("rabbitmq"):
        return
    import pika

    queue = os.environ["SALON_QUEUE"]
    connection = pika.BlockingConnection(pika.URLParameters(services.RABBITMQ_URL))
    try:
        channel = connection.channel()
        for name in (queue, f"{queue}.DQ", f"{queue}.XQ"):
            channel.queue_delete(name)
    finally:
        connection.close()


@pytest.fixture
def empty_database_url(request, tmp_path) -> Iterator[str]:
    """A database with no tables; parametrise with ``DATABASES`` via ``indirect``."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'salon.db'}"
        return
    services.require("postgresql")
    with databases.postgres_database() as url:
        yield url


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path) -> Iterator[str]:
    """A migrated database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "salon.db"
        shutil.copy(request.getfixturevalue("sqlite_file"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    with databases.postgres_database(template) as url:
        yield url


@pytest.fixture(params=DATABASES)
def demo_database_url(request, tmp_path) -> Iterator[str]:
    """A copy of the demo company's database, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "salon.db"
        shutil.copy(request.getfixturevalue("sqlite_demo_file"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_demo_template")
    with databases.postgres_database(template) as url:
        yield url


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_engine(demo_database_url) -> Iterator[Engine]:
    """An engine on the demo company's database (``demo_database_url``)."""
    engine = make_engine(demo_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def proxy(database_url) -> Iterator[TcpProxy]:
    """A TCP proxy in front of ``database_url``'s PostgreSQL that a test can cut (outage tests)."""
    url = make_url(database_url)
    proxy = TcpProxy(url.host, url.port or 5432)
    proxy.start()
    yield proxy
    proxy.stop()
