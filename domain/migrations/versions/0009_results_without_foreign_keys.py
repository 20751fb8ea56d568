"""results without foreign keys; drivers and top performers keyed by their natural keys

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 00:45:00.000000

Result tables are caches rebuilt from source rows (see ``domain.models.results``): checking
the source keys again for every row a recompute writes cost more than computing the rows, and
the two most numerous ones lose their surrogate id (one index, on SQLite one b-tree, fewer).
Downgrading empties those two tables (a recompute fills them again).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (the column types below)
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → (column, referred table, ON DELETE) of each foreign key it had
FOREIGN_KEYS = {
    "departmentvalue": [("metric_id", "metric", "CASCADE"), ("department_id", "department", "CASCADE")],
    "gap": [("metric_id", "metric", "CASCADE"), ("department_id", "department", "CASCADE")],
    "gapdriver": [("metric_id", "metric", "CASCADE"), ("department_id", "department", "CASCADE")],
    "feedbacktheme": [("metric_id", "metric", "CASCADE"), ("department_id", "department", "CASCADE")],
    "growthneed": [("department_id", "department", "CASCADE"), ("metric_id", "metric", "SET NULL")],
    "topperformer": [
        ("metric_id", "metric", "CASCADE"),
        ("department_id", "department", "CASCADE"),
        ("employee_id", "employee", "CASCADE"),
    ],
}


# table → (its unique index on the natural key, that key)
NATURAL_KEYS = {
    "gapdriver": (
        "uq_gapdriver_partition_segment",
        ["metric_id", "department_id", "period", "dimension", "segment"],
    ),
    "topperformer": ("uq_topperformer_partition_rank", ["metric_id", "department_id", "period", "rank"]),
}


def upgrade() -> None:
    for table, keys in FOREIGN_KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, referred, _ in keys:
                batch_op.drop_constraint(f"fk_{table}_{column}_{referred}", type_="foreignkey")
    for table, (index, key) in NATURAL_KEYS.items():
        with op.batch_alter_table(table, schema=None, table_kwargs={"sqlite_with_rowid": False}) as batch_op:
            batch_op.drop_index(index)
            batch_op.drop_constraint(f"pk_{table}", type_="primary")
            batch_op.drop_column("id")
            batch_op.create_primary_key(f"pk_{table}", key)


def downgrade() -> None:
    for table, (index, key) in NATURAL_KEYS.items():
        op.drop_table(table)
        op.create_table(table, *_old_columns(table), sa.PrimaryKeyConstraint("id", name=f"pk_{table}"))
        op.create_index(index, table, key, unique=True)
    for table, keys in FOREIGN_KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, referred, ondelete in keys:
                batch_op.create_foreign_key(
                    f"fk_{table}_{column}_{referred}", referred, [column], ["id"], ondelete=ondelete
                )


def _old_columns(table: str) -> list[sa.Column]:
    text = sqlmodel.sql.sqltypes.AutoString
    if table == "gapdriver":
        return [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("metric_id", sa.Integer(), nullable=False),
            sa.Column("department_id", sa.Integer(), nullable=False),
            sa.Column("period", text(), nullable=False),
            sa.Column("dimension", text(), nullable=False),
            sa.Column("segment", text(), nullable=False),
            sa.Column("share", sa.Float(), nullable=False),
            sa.Column("people", sa.Integer(), nullable=False),
            sa.CheckConstraint(
                "dimension IN ('tenure', 'team', 'employee')", name=op.f("ck_gapdriver_dimension")
            ),
        ]
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("period", text(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
    ]
