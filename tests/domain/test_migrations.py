"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from domain import migrate
from domain.db import make_engine
from domain.models.base import metadata
from tests.conftest import DATABASES


@pytest.mark.parametrize("empty_database_url", DATABASES, indirect=True)
def test_upgrade_from_empty_builds_the_models_schema(empty_database_url):
    engine = make_engine(empty_database_url)
    assert migrate.current_revision(engine) is None

    migrate.upgrade(engine)

    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
    assert {
        "department",
        "employee",
        "metric",
        "target",
        "observation",
        "review",
        "feedback",
        "growthrecord",
        "job",
    } <= set(inspect(engine).get_table_names())
    engine.dispose()


@pytest.mark.parametrize("empty_database_url", DATABASES, indirect=True)
def test_downgrade_to_base_and_up_again(empty_database_url):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)

    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert "department" not in inspect(engine).get_table_names()

    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


@pytest.mark.parametrize("empty_database_url", DATABASES, indirect=True)
def test_a_database_behind_is_refused_unless_upgrading_is_allowed(empty_database_url):
    engine = make_engine(empty_database_url)

    with pytest.raises(migrate.SchemaBehind, match="salon db upgrade"):
        migrate.ensure_current(engine, auto_upgrade=False)
    assert migrate.current_revision(engine) is None

    migrate.ensure_current(engine, auto_upgrade=True)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()
