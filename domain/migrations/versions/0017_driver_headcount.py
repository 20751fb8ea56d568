"""driver headcount: a driver segment's share of the people next to its share of the gap

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # rows computed before this revision read as headcount 0 (no people share) until a recompute
    with op.batch_alter_table("gapdriver", schema=None) as batch_op:
        batch_op.add_column(sa.Column("headcount", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("gapdriver", schema=None) as batch_op:
        batch_op.drop_column("headcount")
