"""``changes``: the fewest rows to delete and insert to turn the stored rows into the computed."""

from __future__ import annotations

import random

import polars as pl
import pytest

from workers.changes import changes

KEYS = ["department_id", "period", "rank"]
SCHEMA = pl.Schema(
    {
        "department_id": pl.Int64,
        "period": pl.String,
        "rank": pl.Int64,
        "employee_id": pl.Int64,
        "value": pl.Float64,
    }
)


def frame(*rows) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=SCHEMA, orient="row")


def keys(result: pl.DataFrame) -> set[tuple]:
    return set(result.select(KEYS).rows())


def test_rows_computed_as_stored_are_left_alone():
    stored = frame((1, "2026-01", 1, 7, 0.1 + 0.2), (1, "2026-01", 2, 8, None))
    computed = frame((1, "2026-01", 1, 7, 0.3), (1, "2026-01", 2, 8, None))  # 0.1 + 0.2 != 0.3 by 1 ulp

    change = changes(stored, computed, KEYS)

    assert change.stale.is_empty() and change.fresh.is_empty()
    assert change.stale.columns == KEYS and change.fresh.schema == SCHEMA


@pytest.mark.parametrize(
    ("stored_row", "why"),
    [
        ((1, "2026-01", 1, 9, 0.5), "another employee"),
        ((1, "2026-01", 1, 7, 0.5000001), "a value apart by more than rounding"),
        ((1, "2026-01", 1, 7, None), "null against a value"),
    ],
)
def test_a_row_computed_otherwise_is_deleted_and_inserted(stored_row, why):
    computed = frame((1, "2026-01", 1, 7, 0.5), (1, "2026-01", 2, 8, 0.4))
    stored = frame(stored_row, (1, "2026-01", 2, 8, 0.4))

    change = changes(stored, computed, KEYS)

    assert keys(change.stale) == {(1, "2026-01", 1)}, why
    assert change.fresh.rows() == [(1, "2026-01", 1, 7, 0.5)], why


def test_a_new_key_is_only_inserted_and_a_vanished_one_only_deleted():
    stored = frame((1, "2026-01", 1, 7, 0.5), (1, "2026-01", 2, 8, 0.4))
    computed = frame((1, "2026-01", 1, 7, 0.5), (2, "2026-01", 1, 3, 0.9))

    change = changes(stored, computed, KEYS)

    assert keys(change.stale) == {(1, "2026-01", 2)}
    assert change.fresh.rows() == [(2, "2026-01", 1, 3, 0.9)]


def test_nothing_stored_inserts_everything_and_nothing_computed_deletes_everything():
    rows = frame((1, "2026-01", 1, 7, 0.5), (1, "2026-Q1", 1, 7, 0.6))
    empty = pl.DataFrame(schema=SCHEMA)

    assert changes(empty, rows, KEYS).fresh.equals(rows)
    assert changes(empty, rows, KEYS).stale.is_empty()
    assert keys(changes(rows, empty, KEYS).stale) == keys(rows)
    assert changes(rows, empty, KEYS).fresh.is_empty()


def test_applying_the_changes_gives_the_computed_rows():
    """Random stored rows, and computed rows that keep, drift by rounding, change, drop or add
    some: stored − stale + fresh is the computed rows, up to rounding, and no row that only
    drifted is written."""
    draw = random.Random(4)
    stored_rows = [(d, p, r, draw.randrange(50), draw.random()) for d in range(5) for p in ("2026-01", "2026-Q1") for r in range(1, 6)]  # fmt: skip
    computed_rows, drifted, fates = [], set(), {"keep": 0, "drift": 0, "change": 0, "drop": 0}
    for row in stored_rows:
        fate = draw.choice(list(fates))
        fates[fate] += 1
        if fate == "keep":
            computed_rows.append(row)
        elif fate == "drift":
            computed_rows.append((*row[:4], row[4] * (1 + 1e-15)))
            drifted.add(row[:3])
        elif fate == "change":
            computed_rows.append((*row[:3], row[3] + 1, row[4]))
    computed_rows += [(9, "2026-02", r, r, 0.5) for r in (1, 2)]
    stored, computed = frame(*stored_rows), frame(*computed_rows)

    change = changes(stored, computed, KEYS)
    result = pl.concat([stored.join(change.stale, on=KEYS, how="anti"), change.fresh]).sort(KEYS)

    assert result.select(KEYS, "employee_id").equals(computed.sort(KEYS).select(KEYS, "employee_id"))
    assert (result.get_column("value") - computed.sort(KEYS).get_column("value")).abs().max() < 1e-12
    assert not drifted & keys(change.fresh)
    assert (change.stale.height, change.fresh.height) == (
        fates["change"] + fates["drop"],
        fates["change"] + 2,
    )
    assert min(fates.values()) > 0  # the seed draws every fate
