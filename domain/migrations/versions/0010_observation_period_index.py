"""observation period index: a few months of every metric without scanning them all

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 01:20:00.000000

An import's recompute reads the months it touched (and their quarters) across every metric,
and GraphQL ``periods`` lists the months that have data; the existing indexes lead with the
metric or the department, so both scanned the whole table (10M rows).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index("ix_observation_period", ["period"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index("ix_observation_period")
