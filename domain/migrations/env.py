"""Alembic environment: runs against the connection ``domain.migrate`` hands over."""

from alembic import context

import domain.models  # noqa: F401  (registers the tables)
from domain.models.base import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copying tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
