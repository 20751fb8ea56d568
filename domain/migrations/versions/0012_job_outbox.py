"""job outbox: when a job's message was sent, send retries with backoff, the running worker's heartbeat

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-09 10:00:00.000000

A job row is now its own outbox entry: committed unsent with the work that needs it, then sent
by a relay until the broker confirms it. Rows from earlier versions are unsent: an unfinished
one is sent once more (a duplicate of a finished job is skipped), a finished one is never sent.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("send_attempts", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.add_column(sa.Column("next_send_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("send_error", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        for name in ("heartbeat_at", "send_error", "next_send_at", "send_attempts", "sent_at"):
            batch_op.drop_column(name)
