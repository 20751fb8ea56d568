"""Schema migrations (Alembic), driven from code so the CLI and the server share them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from domain.db import job_statements

MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaBehind(RuntimeError):
    """The database is not at the revision this code needs."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _run(engine: Engine, alembic_command, *args, **kwargs) -> None:
    """Run an Alembic command in one transaction on ``engine`` (``env.py`` takes the connection)."""
    config = _config()
    with job_statements(), engine.begin() as connection:  # a migration may rewrite a large table
        config.attributes["connection"] = connection
        alembic_command(config, *args, **kwargs)


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)


def ensure_current(engine: Engine, auto_upgrade: bool) -> None:
    """Refuse to run on a database that is behind, unless allowed to bring it up to date."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if auto_upgrade:
        upgrade(engine)
        return
    raise SchemaBehind(
        f"the database is at revision {current or 'none (empty)'}, this version needs {head}: "
        "run `salon db upgrade` first"
    )


def autogenerate(engine: Engine, message: str) -> None:
    """Write a new revision from the models' difference to ``engine`` (developers only)."""
    _run(engine, command.revision, message=message, autogenerate=True)
