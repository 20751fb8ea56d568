"""A checksum of the normalised rows, so a migration can be verified before and after.

Computed on values after parsing (numbers as numbers, dates as dates, tags as a sorted set),
in a fixed column order and sorted row order: the same data as CSV or XLSX, in any encoding,
header language or row order, gives the same checksum.
"""

from __future__ import annotations

import hashlib

import polars as pl

NULL = "\x00"  # distinguishes a blank cell from an empty text
CHUNK = 100_000  # lines hashed per step: bounded memory for million-row files


def checksum(frame: pl.DataFrame, columns: list[str]) -> str:
    def text(name: str) -> pl.Expr:
        column = pl.col(name)
        if isinstance(frame.schema[name], pl.List):
            column = column.list.join(";")
        return column.cast(pl.String).fill_null(NULL)

    lines = frame.select(pl.concat_str([*(text(name) for name in columns)], separator="\x1f") + "\n")
    ordered = lines.to_series().sort()
    digest = hashlib.sha256()
    for offset in range(0, ordered.len(), CHUNK):
        digest.update(ordered.slice(offset, CHUNK).str.join("").item().encode("utf-8"))
    return digest.hexdigest()
