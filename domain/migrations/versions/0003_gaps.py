"""gaps

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 20:05:05.449653
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("actual", sa.Float(), nullable=False),
        sa.Column("previous", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("change", sa.Float(), nullable=True),
        sa.Column("attainment", sa.Float(), nullable=True),
        sa.Column("below_target", sa.Boolean(), nullable=False),
        sa.Column("worsening", sa.Boolean(), nullable=False),
        sa.Column("severity", sa.Float(), nullable=False),
        sa.Column("contributors", sa.Integer(), nullable=False),
        sa.Column("computed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("period LIKE '____-__'", name=op.f("ck_gap_period")),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_gap_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], name=op.f("fk_gap_metric_id_metric"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gap")),
    )
    with op.batch_alter_table("gap", schema=None) as batch_op:
        batch_op.create_index("ix_gap_department_period", ["department_id", "period"], unique=False)
        batch_op.create_index(
            "uq_gap_metric_department_period", ["metric_id", "department_id", "period"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("gap", schema=None) as batch_op:
        batch_op.drop_index("uq_gap_metric_department_period")
        batch_op.drop_index("ix_gap_department_period")

    op.drop_table("gap")
