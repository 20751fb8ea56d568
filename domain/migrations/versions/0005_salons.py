"""salons

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 21:33:08.237289
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "planningclaim",
        sa.Column("month", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("job_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_planningclaim")),
    )
    op.create_table(
        "salon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("format_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("fit", sa.Float(), nullable=False),
        sa.Column("data_period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("host_department_id", sa.Integer(), nullable=True),
        sa.Column("topic", sa.JSON(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("scheduled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("cancel_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("job_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("month LIKE '____-__'", name=op.f("ck_salon_month")),
        sa.CheckConstraint(
            "status IN ('PROPOSED', 'SCHEDULED', 'HELD', 'CLOSED', 'CANCELLED')", name=op.f("ck_salon_status")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_salon_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["host_department_id"],
            ["department.id"],
            name=op.f("fk_salon_host_department_id_department"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_salon")),
    )
    with op.batch_alter_table("salon", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_salon_status"), ["status"], unique=False)
        batch_op.create_index("uq_salon_month_department", ["month", "department_id"], unique=True)

    op.create_table(
        "salondepartment",
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_salondepartment_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["salon_id"], ["salon.id"], name=op.f("fk_salondepartment_salon_id_salon"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("salon_id", "department_id", name=op.f("pk_salondepartment")),
    )
    with op.batch_alter_table("salondepartment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_salondepartment_department_salon", ["department_id", "salon_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("salondepartment", schema=None) as batch_op:
        batch_op.drop_index("ix_salondepartment_department_salon")

    op.drop_table("salondepartment")
    with op.batch_alter_table("salon", schema=None) as batch_op:
        batch_op.drop_index("uq_salon_month_department")
        batch_op.drop_index(batch_op.f("ix_salon_status"))

    op.drop_table("salon")
    op.drop_table("planningclaim")
