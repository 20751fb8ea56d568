"""gap details

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 20:13:01.777974
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedbacktheme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("theme", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_feedbacktheme_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], name=op.f("fk_feedbacktheme_metric_id_metric"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedbacktheme")),
    )
    with op.batch_alter_table("feedbacktheme", schema=None) as batch_op:
        batch_op.create_index("ix_feedbacktheme_department_period", ["department_id", "period"], unique=False)

    op.create_table(
        "gapdriver",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("dimension", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("segment", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "dimension IN ('tenure', 'team', 'employee')", name=op.f("ck_gapdriver_dimension")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_gapdriver_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], name=op.f("fk_gapdriver_metric_id_metric"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gapdriver")),
    )
    with op.batch_alter_table("gapdriver", schema=None) as batch_op:
        batch_op.create_index(
            "uq_gapdriver_partition_segment",
            ["metric_id", "department_id", "period", "dimension", "segment"],
            unique=True,
        )

    op.create_table(
        "growthneed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("skill", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("wishers", sa.Integer(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=True),
        sa.Column("metric_average", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_growthneed_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], name=op.f("fk_growthneed_metric_id_metric"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_growthneed")),
    )
    with op.batch_alter_table("growthneed", schema=None) as batch_op:
        batch_op.create_index(
            "uq_growthneed_department_period_skill", ["department_id", "period", "skill"], unique=True
        )

    op.create_table(
        "topperformer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_topperformer_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employee.id"],
            name=op.f("fk_topperformer_employee_id_employee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], name=op.f("fk_topperformer_metric_id_metric"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topperformer")),
    )
    with op.batch_alter_table("topperformer", schema=None) as batch_op:
        batch_op.create_index(
            "uq_topperformer_partition_rank", ["metric_id", "department_id", "period", "rank"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("topperformer", schema=None) as batch_op:
        batch_op.drop_index("uq_topperformer_partition_rank")

    op.drop_table("topperformer")
    with op.batch_alter_table("growthneed", schema=None) as batch_op:
        batch_op.drop_index("uq_growthneed_department_period_skill")

    op.drop_table("growthneed")
    with op.batch_alter_table("gapdriver", schema=None) as batch_op:
        batch_op.drop_index("uq_gapdriver_partition_segment")

    op.drop_table("gapdriver")
    with op.batch_alter_table("feedbacktheme", schema=None) as batch_op:
        batch_op.drop_index("ix_feedbacktheme_department_period")

    op.drop_table("feedbacktheme")
