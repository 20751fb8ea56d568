"""Large files stream in batches: the result must not depend on where the batches split."""

from __future__ import annotations

import pytest

from tests.domain.importing.conftest import do_import, snapshot

HEADER = "metric_code,period,department_code,employee_id,value,numerator,denominator\n"
ROWS = [
    "defect_rate,2026-07,PROD,E1,0.01,1,100",
    "defect_rate,2026-08,PROD,E1,0.02,2,100",
    "defect_rate,2026-09,PROD,E1,0.03,3,100",
    "defect_rate,2026-07,PROD,E2,0.04,4,100",
    "defect_rate,2026-08,PROD,E2,0.05,5,100",
    "handling_hours,2026-09,CS,E3,30,,",
    "handling_hours,2026-08,CS,E3,31,,",
]


def outcome(report):
    return (
        report.applied, report.rows_read, report.rejected, report.counts, report.checksum,
        [(e.row, e.column, e.message) for e in report.errors], report.scope,
    )  # fmt: skip


@pytest.mark.parametrize("batch_rows", [1, 2, 3])
def test_batches_give_the_same_report_and_data_as_one_piece(org, engine, batch_rows):
    text = HEADER + "\n".join(ROWS) + "\n"

    streamed = do_import(org, "observations", text, batch_rows=batch_rows, dry_run=True)
    whole = do_import(org, "observations", text, dry_run=True)

    assert outcome(streamed) == outcome(whole)
    assert streamed.counts.inserted == len(ROWS)


@pytest.mark.parametrize("batch_rows", [2, 100_000])
def test_duplicates_are_found_across_batches(org, batch_rows):
    rows = [*ROWS, ROWS[0], ROWS[1].replace("0.02,2,100", "0.09,9,100")]  # a repeat, then a conflict
    report = do_import(
        org, "observations", HEADER + "\n".join(rows) + "\n", batch_rows=batch_rows, partial=True
    )

    same = (
        "same metric_code, period, department_code, employee_id but different values, so neither is imported"
    )
    assert [(e.row, e.message) for e in report.errors] == [
        (3, f"conflicts with row 10: {same}"),
        (10, f"conflicts with row 3: {same}"),
    ]
    assert report.counts.inserted == len(ROWS) - 1  # rows 3 and 10 say different things: neither
    assert any("repeat an earlier row" in w for w in report.warnings)


def test_an_error_in_a_late_batch_undoes_the_batches_already_written(org):
    before = snapshot(org)
    text = HEADER + "\n".join([*ROWS, "defect_rate,2026-09,PROD,E404,0.01,1,100"]) + "\n"

    report = do_import(org, "observations", text, batch_rows=2)

    assert not report.applied and report.counts.inserted == 0
    assert [(e.row, e.column) for e in report.errors] == [(9, "employee_id")]
    assert snapshot(org) == before


def test_a_broken_row_late_in_the_file_undoes_everything(org):
    before = snapshot(org)
    text = HEADER + "\n".join([*ROWS, "defect_rate,2026-09,PROD"]) + "\n"

    report = do_import(org, "observations", text, batch_rows=2)

    assert not report.applied
    assert report.errors[0].row == 0 and "row 9 has 3 values" in report.errors[0].message
    assert snapshot(org) == before


def test_partial_keeps_the_valid_rows_of_every_batch(org):
    text = HEADER + "\n".join([*ROWS[:3], "nope,2026-09,PROD,E1,0.01,1,100", *ROWS[3:]]) + "\n"

    report = do_import(org, "observations", text, batch_rows=2, partial=True)

    assert report.applied and report.rejected == 1 and report.counts.inserted == len(ROWS)
