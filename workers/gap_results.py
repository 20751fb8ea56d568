"""Rebuilding the ``gap`` results of a scope, inside the recompute's transaction.

A month's value is also the next month's ``previous`` and part of its quarter, so the gaps
of a few months are computed from the values around them (``workers.partitions``) and only
the periods whose numbers can have moved are replaced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
from sqlalchemy import Connection, select
from sqlmodel import col

from domain.models import DepartmentValue, Gap, Target
from workers import tables
from workers.analytics.gaps import GAPS_SCHEMA, TARGETS_SCHEMA, VALUES_SCHEMA, gaps

if TYPE_CHECKING:
    from workers.recompute import Scope


def rebuild_gaps(
    connection: Connection, selection: Scope, metrics: pl.DataFrame, values: pl.DataFrame
) -> int:
    """Replace the scope's gaps; ``values`` are the department values just written (all of the
    pairs' on a rebuild of every period, else read back around the rebuilt months)."""
    periods = selection.periods
    if periods.context is not None:
        values = pl.read_database(
            select(*(col(getattr(DepartmentValue, name)) for name in VALUES_SCHEMA.names())).where(
                selection.pairs(DepartmentValue, periods.context)
            ),
            connection,
            schema_overrides=dict(VALUES_SCHEMA),
        )
    targets = pl.read_database(
        select(*(col(getattr(Target, name)) for name in TARGETS_SCHEMA.names())).where(
            selection.pairs(Target, periods.context)
        ),
        connection,
        schema_overrides=dict(TARGETS_SCHEMA),
    )
    result = gaps(values, metrics, targets) if values.height else pl.DataFrame(schema=GAPS_SCHEMA)
    if periods.gaps is not None:
        result = result.filter(pl.col("period").is_in(periods.gaps))
    return tables.replace(connection, Gap, selection.pairs(Gap, periods.gaps), result)
