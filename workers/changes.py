"""What a rewrite of result rows must change: the stored rows to delete, the computed to insert.

A full recompute over existing results mostly computes the rows already stored. Rewriting them
all is dear on PostgreSQL (``workers.tables.sync``), so only the difference is written. A
stored row stays when a computed row has its key and the same other columns — floats within
``TOLERANCE`` of each other (relative): the same sums added in another order differ in their
last bits, and such a row is the same result, not a change.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

TOLERANCE = 1e-12
STORED = "__stored"  # suffix of the stored row's columns while the two are compared


@dataclass(frozen=True)
class Changes:
    stale: pl.DataFrame  # the keys of stored rows to delete: gone, or computed otherwise
    fresh: pl.DataFrame  # the computed rows to insert: new, or computed otherwise


def changes(stored: pl.DataFrame, computed: pl.DataFrame, keys: list[str]) -> Changes:
    """``stored`` made ``computed`` with the fewest rows written; both have ``computed``'s
    columns, ``keys`` naming each row (never null, unique within each frame)."""
    if stored.is_empty():  # a first recompute: nothing to compare with
        return Changes(stale=stored.select(keys), fresh=computed)
    others = [name for name in computed.columns if name not in keys]
    pairs = computed.lazy().join(
        stored.lazy().select(*keys, *(pl.col(name).alias(name + STORED) for name in others)), on=keys
    )
    kept = pairs.filter(pl.all_horizontal(True, *(_same(computed.schema[name], name) for name in others)))
    kept = kept.select(keys).collect()
    return Changes(
        stale=stored.select(keys).join(kept, on=keys, how="anti"),
        fresh=computed.join(kept, on=keys, how="anti"),
    )


def _same(dtype: pl.DataType, name: str) -> pl.Expr:
    new, old = pl.col(name), pl.col(name + STORED)
    if not dtype.is_float():
        return new.eq_missing(old)
    near = (new - old).abs() <= TOLERANCE * pl.max_horizontal(new.abs(), old.abs())
    return new.eq_missing(old) | near.fill_null(False)
