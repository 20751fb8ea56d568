"""Rebuilding the ``gap`` results of a scope, inside the recompute's transaction.

A month's value is also the next month's ``previous`` and part of its quarter, so the gaps
of a few months are computed from the values around them (``workers.partitions``) and only
the periods whose numbers can have moved are replaced. Everything is read before the first
write (``read_gap_inputs``), so that the writes can run on the recompute's writer thread.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, select
from sqlmodel import col

from domain.models import DepartmentValue, Gap, Target
from workers import tables
from workers.analytics.gaps import GAPS_SCHEMA, TARGETS_SCHEMA, VALUES_SCHEMA, gaps
from workers.scoping import RebuildScope


@dataclass(frozen=True)
class GapInputs:
    """What gaps need besides the values being rebuilt, read before anything is written."""

    targets: pl.DataFrame
    around: pl.DataFrame | None  # stored values of the context's other months; None: all rebuilt


def read_gap_inputs(connection: Connection, selection: RebuildScope) -> GapInputs:
    """The targets of the scope's context, and, when only some months are rebuilt, the stored
    department values of the context's other months (the rebuilt ones are being replaced)."""
    periods = selection.periods
    targets = tables.read(
        connection,
        select(*(col(getattr(Target, name)) for name in TARGETS_SCHEMA.names())).where(
            selection.pairs(Target, periods.context)
        ),
        TARGETS_SCHEMA,
    )
    if periods.context is None:
        return GapInputs(targets, None)
    rebuilt = set(periods.values or ())
    others = [period for period in periods.context if period not in rebuilt]
    around = pl.read_database(
        select(*(col(getattr(DepartmentValue, name)) for name in VALUES_SCHEMA.names())).where(
            selection.pairs(DepartmentValue, others)
        ),
        connection,
        schema_overrides=dict(VALUES_SCHEMA),
    )
    return GapInputs(targets, around)


def rebuild_gaps(
    writer: tables.Writer,
    selection: RebuildScope,
    metrics: pl.DataFrame,
    values: pl.DataFrame,
    inputs: GapInputs,
) -> int:
    """Queue the scope's gaps on ``writer``; ``values`` are the department values being written
    (every period of the pairs on a full rebuild, else the rebuilt months, which ``inputs``
    completes with the stored values around them)."""
    periods = selection.periods
    if inputs.around is not None:
        values = pl.concat([inputs.around, values.select(VALUES_SCHEMA.names()).cast(dict(VALUES_SCHEMA))])
    result = gaps(values, metrics, inputs.targets) if values.height else pl.DataFrame(schema=GAPS_SCHEMA)
    if periods.gaps is not None:
        result = result.filter(pl.col("period").is_in(periods.gaps))
    return writer.replace(Gap, selection.pairs(Gap, periods.gaps), result)
