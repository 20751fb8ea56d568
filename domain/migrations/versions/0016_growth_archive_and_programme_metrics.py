"""growth archive and programme metrics: salon contributions on growth records, salon ratings,
programme metrics per period

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 14:10:20.309414
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTRIBUTIONS = "contribution IN ('attendee', 'sharer', 'excellent_sharer', 'problem_solver')"


def upgrade() -> None:
    op.create_table(
        "programmemetrics",
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("attainment_rate", sa.Float(), nullable=True),
        sa.Column("attainment_results", sa.Integer(), nullable=False),
        sa.Column("growth_archive_update_rate", sa.Float(), nullable=False),
        sa.Column("active_employees", sa.Integer(), nullable=False),
        sa.Column("updated_employees", sa.Integer(), nullable=False),
        sa.Column("satisfaction", sa.Float(), nullable=True),
        sa.Column("ratings", sa.Integer(), nullable=False),
        sa.Column("salons_held", sa.Integer(), nullable=False),
        sa.Column("participation_rate", sa.Float(), nullable=True),
        sa.Column("attendees", sa.Integer(), nullable=False),
        sa.Column("invited", sa.Integer(), nullable=False),
        sa.Column("plans_on_track", sa.Float(), nullable=True),
        sa.Column("plans_measured", sa.Integer(), nullable=False),
        sa.Column("computed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("length(period) IN (4, 7)", name=op.f("ck_programmemetrics_period")),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_programmemetrics")),
    )
    op.create_table(
        "salonrating",
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("rated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_salonrating_score_one_to_five")),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employee.id"],
            name=op.f("fk_salonrating_employee_id_employee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["salon_id"], ["salon.id"], name=op.f("fk_salonrating_salon_id_salon"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("salon_id", "employee_id", name=op.f("pk_salonrating")),
    )
    with op.batch_alter_table("salonrating", schema=None) as batch_op:
        batch_op.create_index("ix_salonrating_employee_salon", ["employee_id", "salon_id"], unique=False)

    with op.batch_alter_table("growthrecord", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contribution", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("salon_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("points", sa.Float(), nullable=False, server_default=sa.text("0")))
        batch_op.create_check_constraint("contribution", CONTRIBUTIONS)
        batch_op.create_check_constraint("points_not_negative", "points >= 0")
        batch_op.create_check_constraint(
            "contribution_kind", "contribution IS NULL OR kind = 'salon_contribution'"
        )
        # imported records keep their natural key; recorded contributions get their own
        batch_op.drop_index("uq_growthrecord_employee_date_kind_skill")
        batch_op.create_index(
            "uq_growthrecord_employee_date_kind_skill",
            ["employee_id", "date", "kind", "skill"],
            unique=True,
            sqlite_where=sa.text("contribution IS NULL"),
            postgresql_where=sa.text("contribution IS NULL"),
        )
        batch_op.create_index(
            "uq_growthrecord_employee_salon_contribution",
            ["employee_id", "salon_id", "contribution"],
            unique=True,
            sqlite_where=sa.text("contribution IS NOT NULL"),
            postgresql_where=sa.text("contribution IS NOT NULL"),
        )
        batch_op.create_index("ix_growthrecord_date", ["date"], unique=False)
        batch_op.create_index("ix_growthrecord_salon_id", ["salon_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_growthrecord_salon_id_salon"), "salon", ["salon_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    # recorded contributions have no place in the older schema (its key would collide)
    op.execute("DELETE FROM growthrecord WHERE contribution IS NOT NULL")
    with op.batch_alter_table("growthrecord", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_growthrecord_salon_id_salon"), type_="foreignkey")
        batch_op.drop_index("ix_growthrecord_salon_id")
        batch_op.drop_index("ix_growthrecord_date")
        batch_op.drop_index("uq_growthrecord_employee_salon_contribution")
        batch_op.drop_index("uq_growthrecord_employee_date_kind_skill")
        batch_op.create_index(
            "uq_growthrecord_employee_date_kind_skill", ["employee_id", "date", "kind", "skill"], unique=True
        )
        batch_op.drop_constraint(batch_op.f("ck_growthrecord_contribution_kind"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_growthrecord_points_not_negative"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_growthrecord_contribution"), type_="check")
        batch_op.drop_column("points")
        batch_op.drop_column("salon_id")
        batch_op.drop_column("contribution")

    with op.batch_alter_table("salonrating", schema=None) as batch_op:
        batch_op.drop_index("ix_salonrating_employee_salon")

    op.drop_table("salonrating")
    op.drop_table("programmemetrics")
