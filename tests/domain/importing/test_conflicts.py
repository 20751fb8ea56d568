"""Two rows that say different things about one key: the file does not say which is right, so
a partial import writes neither, and every row of the conflict is reported."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.models import Observation
from tests.domain.importing.conftest import do_import

HEADER = "metric_code,period,department_code,employee_id,value,numerator,denominator\n"
FIRST = "handling_hours,2026-09,CS,E3,320,,"  # row 2
OTHER = "handling_hours,2026-08,CS,E3,31,,"  # row 3: another key, valid
SECOND = "handling_hours,2026-09,CS,E3,330,,"  # row 4: same key as row 2, another value


def _stored_values(engine) -> list[tuple[str, float]]:
    with engine.connect() as connection:
        rows = connection.execute(select(Observation.period, Observation.value)).all()
    return sorted((period, value) for period, value in rows)


@pytest.mark.parametrize("batch_rows", [1, 2, 100_000])
def test_a_partial_import_writes_no_row_of_a_conflict_and_reports_each(org, batch_rows):
    text = HEADER + "\n".join([FIRST, OTHER, SECOND]) + "\n"

    report = do_import(org, "observations", text, partial=True, batch_rows=batch_rows)

    assert report.applied
    assert sorted(e.row for e in report.errors) == [2, 4]
    by_row = {e.row: e.message for e in report.errors}
    assert "row 4" in by_row[2] and "row 2" in by_row[4]
    assert report.rejected == 2
    assert report.counts.inserted == 1  # only row 3
    assert _stored_values(org) == [("2026-08", 31.0)]


@pytest.mark.parametrize("batch_rows", [1, 100_000])
def test_an_exact_repeat_of_a_conflicting_row_is_rejected_with_it(org, batch_rows):
    """Rows 2 and 4 agree, row 3 disagrees: all three are the conflict."""
    text = HEADER + "\n".join([FIRST, SECOND, FIRST]) + "\n"

    report = do_import(org, "observations", text, partial=True, batch_rows=batch_rows)

    assert sorted(e.row for e in report.errors) == [2, 3, 4]
    assert report.rejected == 3 and report.counts.inserted == 0
    assert not any("repeat an earlier row" in w for w in report.warnings)
    assert _stored_values(org) == []


def test_a_dry_run_counts_no_row_of_a_conflict_found_in_a_later_batch(org):
    text = HEADER + "\n".join([FIRST, OTHER, SECOND]) + "\n"

    report = do_import(org, "observations", text, partial=True, dry_run=True, batch_rows=1)

    assert report.counts.inserted == 1 and report.rejected == 2
    assert _stored_values(org) == []


def test_a_conflict_still_rejects_the_whole_file_by_default(org):
    text = HEADER + "\n".join([FIRST, OTHER, SECOND]) + "\n"

    report = do_import(org, "observations", text)

    assert not report.applied
    assert sorted(e.row for e in report.errors) == [2, 4]
    assert _stored_values(org) == []
