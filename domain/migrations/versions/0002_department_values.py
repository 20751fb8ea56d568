"""department values

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 19:11:12.173508
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "departmentvalue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contributors", sa.Integer(), nullable=False),
        sa.Column("computed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "period LIKE '____-__' AND substr(period, 6, 1) IN ('0', '1')",
            name=op.f("ck_departmentvalue_monthly"),
        ),
        sa.CheckConstraint("source IN ('official', 'derived')", name=op.f("ck_departmentvalue_source")),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_departmentvalue_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], name=op.f("fk_departmentvalue_metric_id_metric"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departmentvalue")),
    )
    with op.batch_alter_table("departmentvalue", schema=None) as batch_op:
        batch_op.create_index(
            "ix_departmentvalue_department_period", ["department_id", "period"], unique=False
        )
        batch_op.create_index(
            "uq_departmentvalue_metric_department_period",
            ["metric_id", "department_id", "period"],
            unique=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("departmentvalue", schema=None) as batch_op:
        batch_op.drop_index("uq_departmentvalue_metric_department_period")
        batch_op.drop_index("ix_departmentvalue_department_period")

    op.drop_table("departmentvalue")
