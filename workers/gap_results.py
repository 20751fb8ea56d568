"""Rebuilding the ``gap`` results of some metric × department pairs, inside a transaction.

A pair is rebuilt over all its periods at once: a month's value is also the next month's
``previous`` and part of its quarter, so a narrower rebuild could leave neighbours stale.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, delete, insert, select
from sqlmodel import col

from domain.models import DepartmentValue, Gap, Metric, Target, utcnow
from workers.analytics.gaps import GAPS_SCHEMA, gaps
from workers.scoping import within

BATCH = 10_000


def rebuild_gaps(
    connection: Connection, metric_ids: list[int] | None, department_ids: list[int] | None
) -> int:
    """Replace the gaps of the pairs (``None`` = every metric / department); returns rows written."""
    values = pl.read_database(
        select(
            col(DepartmentValue.metric_id), col(DepartmentValue.department_id), col(DepartmentValue.period),
            col(DepartmentValue.value), col(DepartmentValue.numerator), col(DepartmentValue.denominator),
            col(DepartmentValue.contributors),
        ).where(within(DepartmentValue, metric_ids=metric_ids, department_ids=department_ids)),
        connection,
        schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64, "value": pl.Float64},
    )  # fmt: skip
    metrics = pl.read_database(
        select(col(Metric.id).label("metric_id"), col(Metric.direction), col(Metric.aggregation)), connection
    )
    targets = pl.read_database(
        select(
            col(Target.metric_id), col(Target.department_id), col(Target.period), col(Target.target)
        ).where(within(Target, metric_ids=metric_ids, department_ids=department_ids)),
        connection,
        schema_overrides={"target": pl.Float64},
    )
    result = gaps(values, metrics, targets) if values.height else pl.DataFrame(schema=GAPS_SCHEMA)
    connection.execute(delete(Gap).where(within(Gap, metric_ids=metric_ids, department_ids=department_ids)))
    computed_at = utcnow()
    for batch in result.iter_slices(BATCH):
        connection.execute(
            insert(Gap.__table__), [{**row, "computed_at": computed_at} for row in batch.to_dicts()]
        )
    return result.height
