"""honest periods: a gap says how many of its months have data, and whether that is all of them

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Stored quarters count their months from the stored department values, so existing gaps say
# the truth at once; their comparisons are redone by the next ``recompute``.
_FIRST = "CASE substr(period, 7, 1) WHEN '1' THEN '01' WHEN '2' THEN '04' WHEN '3' THEN '07' ELSE '10' END"
_LAST = "CASE substr(period, 7, 1) WHEN '1' THEN '03' WHEN '2' THEN '06' WHEN '3' THEN '09' ELSE '12' END"
_COUNT = (
    "(SELECT count(DISTINCT v.period) FROM departmentvalue v WHERE v.metric_id = gap.metric_id "
    "AND v.department_id = gap.department_id "
    f"AND v.period BETWEEN substr(gap.period, 1, 5) || {_FIRST.replace('period', 'gap.period')} "
    f"AND substr(gap.period, 1, 5) || {_LAST.replace('period', 'gap.period')})"
)


def upgrade() -> None:
    with op.batch_alter_table("gap", schema=None) as batch_op:
        batch_op.add_column(sa.Column("months_covered", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("complete", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.execute(f"UPDATE gap SET months_covered = {_COUNT} WHERE period LIKE '____-Q_'")
    op.execute("UPDATE gap SET complete = (months_covered = 3) WHERE period LIKE '____-Q_'")


def downgrade() -> None:
    with op.batch_alter_table("gap", schema=None) as batch_op:
        batch_op.drop_column("complete")
        batch_op.drop_column("months_covered")
