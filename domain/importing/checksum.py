"""A checksum of the normalised rows, so a migration can be verified before and after.

Computed on values after parsing (numbers as numbers, dates as dates, tags as a sorted set),
in a fixed column order, and combined as a multiset: the same data as CSV or XLSX, in any
encoding, header language, row order or batch size, gives the same checksum. Summing per-row
SHA-256 values (mod 2^256) is what lets it be computed batch by batch without sorting the file.
"""

from __future__ import annotations

import hashlib

import polars as pl

NULL = "\x00"  # distinguishes a blank cell from an empty text
MODULUS = 1 << 256


class Checksum:
    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.total = 0
        self.rows = 0

    def add(self, frame: pl.DataFrame) -> None:
        def text(name: str) -> pl.Expr:
            column = pl.col(name)
            if isinstance(frame.schema[name], pl.List):
                column = column.list.join(";")
            return column.cast(pl.String).fill_null(NULL)

        lines = frame.select(
            pl.concat_str([text(name) for name in self.columns], separator="\x1f")
        ).to_series()
        sha256, from_bytes = hashlib.sha256, int.from_bytes
        self.total = (
            self.total + sum(from_bytes(sha256(line.encode()).digest()) for line in lines)
        ) % MODULUS
        self.rows += frame.height

    def hexdigest(self) -> str:
        state = self.rows.to_bytes(8, "big") + self.total.to_bytes(32, "big")
        return hashlib.sha256(state).hexdigest()


def checksum(frame: pl.DataFrame, columns: list[str]) -> str:
    accumulator = Checksum(columns)
    accumulator.add(frame)
    return accumulator.hexdigest()
