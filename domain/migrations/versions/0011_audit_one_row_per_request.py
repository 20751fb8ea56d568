"""audit one row per request: the request's actions and subjects as lists

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:00:00.000000

One request that refused 343 reads wrote 343 audit rows; an entry is now one request, listing
its distinct actions and its subjects. Earlier rows keep their single action and target and get
empty lists (GraphQL reads them as one-element lists).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actions", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column("subjects", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.drop_column("subjects")
        batch_op.drop_column("actions")
