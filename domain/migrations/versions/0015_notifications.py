"""notifications: messages and their deliveries (the outbox), salon calendars and invitations
with answers, plan reminder cadences; a department's time zone and an employee's locale

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 14:08:56.009950
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saloncalendar",
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("uid", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("starts_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ends_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["salon_id"], ["salon.id"], name=op.f("fk_saloncalendar_salon_id_salon"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("salon_id", name=op.f("pk_saloncalendar")),
    )
    op.create_table(
        "saloninvitation",
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("presenter", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("response", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("responded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("invited_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "response IN ('accepted', 'declined', 'tentative')", name=op.f("ck_saloninvitation_response")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employee.id"],
            name=op.f("fk_saloninvitation_employee_id_employee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["salon_id"], ["salon.id"], name=op.f("fk_saloninvitation_salon_id_salon"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("salon_id", "employee_id", name=op.f("pk_saloninvitation")),
    )
    with op.batch_alter_table("saloninvitation", schema=None) as batch_op:
        batch_op.create_index("ix_saloninvitation_employee_salon", ["employee_id", "salon_id"], unique=False)

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("salon_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("html", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("link", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("calendar", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("read_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('invitation', 'invitation_update', 'invitation_cancelled', 'plan_reminder', 'progress_report')",
            name=op.f("ck_notification_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employee.id"],
            name=op.f("fk_notification_employee_id_employee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["improvementplan.id"],
            name=op.f("fk_notification_plan_id_improvementplan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["salon_id"], ["salon.id"], name=op.f("fk_notification_salon_id_salon"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_employee_created", ["employee_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_salon_id"), ["salon_id"], unique=False)
        batch_op.create_index("uq_notification_key_employee", ["key", "employee_id"], unique=True)

    op.create_table(
        "planreminder",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("cadence", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(cadence = 'monthly' AND day BETWEEN 1 AND 28) OR (cadence = 'weekly' AND day BETWEEN 1 AND 7)",
            name=op.f("ck_planreminder_day"),
        ),
        sa.CheckConstraint("cadence IN ('monthly', 'weekly')", name=op.f("ck_planreminder_cadence")),
        sa.CheckConstraint("hour >= 0 AND hour <= 23", name=op.f("ck_planreminder_hour")),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["improvementplan.id"],
            name=op.f("fk_planreminder_plan_id_improvementplan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_planreminder")),
    )
    op.create_table(
        "notificationdelivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("claim", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("job_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'skipped')",
            name=op.f("ck_notificationdelivery_status"),
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notification.id"],
            name=op.f("fk_notificationdelivery_notification_id_notification"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notificationdelivery")),
    )
    with op.batch_alter_table("notificationdelivery", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notificationdelivery_status_next", ["status", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            "uq_notificationdelivery_notification_channel", ["notification_id", "channel"], unique=True
        )

    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))

    with op.batch_alter_table("employee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("employee", schema=None) as batch_op:
        batch_op.drop_column("locale")

    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.drop_column("timezone")

    with op.batch_alter_table("notificationdelivery", schema=None) as batch_op:
        batch_op.drop_index("uq_notificationdelivery_notification_channel")
        batch_op.drop_index("ix_notificationdelivery_status_next")

    op.drop_table("notificationdelivery")
    op.drop_table("planreminder")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("uq_notification_key_employee")
        batch_op.drop_index(batch_op.f("ix_notification_salon_id"))
        batch_op.drop_index(batch_op.f("ix_notification_plan_id"))
        batch_op.drop_index("ix_notification_employee_created")

    op.drop_table("notification")
    with op.batch_alter_table("saloninvitation", schema=None) as batch_op:
        batch_op.drop_index("ix_saloninvitation_employee_salon")

    op.drop_table("saloninvitation")
    op.drop_table("saloncalendar")
