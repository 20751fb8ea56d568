"""results without foreign keys: result tables are caches rebuilt from source rows

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 00:45:00.000000

Checking the source keys again for every row a recompute writes cost more than computing the
rows (see ``domain.models.results``); the keys come from source rows the database checks.
"""

from collections.abc import Sequence

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


def upgrade() -> None:
    for table, keys in FOREIGN_KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, referred, _ in keys:
                batch_op.drop_constraint(f"fk_{table}_{column}_{referred}", type_="foreignkey")


def downgrade() -> None:
    for table, keys in FOREIGN_KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, referred, ondelete in keys:
                batch_op.create_foreign_key(
                    f"fk_{table}_{column}_{referred}", referred, [column], ["id"], ondelete=ondelete
                )
