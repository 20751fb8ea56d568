"""``salon export bonuses``: the file an EHR's appraisal import takes, read back through our own
importer's reader (CSV and XLSX), with the figures ``appraisalBonus`` gives.

P2's contributions in 2026-H2 (default policy): excellent sharer (2) and problem solver (3) in
October, sharer (1) in December — 6, capped at 5; P1's: sharer (1) in October; A1 only attended.
"""

from __future__ import annotations

import pytest

from domain.db import session_scope
from domain.growth.bonus import appraisal_bonus, parse_cycle
from domain.growth.contributions import record_attendance_contributions, record_contribution
from domain.growth.export import COLUMNS
from domain.growth.points import Scorer
from domain.growth.policy import PointsPolicy
from domain.importing.reader import read_table
from domain.importing.templates import ImportKind, Template
from domain.vocabulary import ContributionKind as K
from tests.api import org
from tests.support.growth import make_salon
from tests.support.processes import run_salon, salon_env

# the appraisal import the export feeds: reviews-like, keyed by person and cycle
APPRAISAL = Template(ImportKind.REVIEWS, COLUMNS, key=("employee_id", "cycle"), file_names=("bonuses",))
SCORER = Scorer(PointsPolicy())


@pytest.fixture
def contributions(engine):
    people = org.build(engine)
    october = make_salon(engine, month="2026-10", department="PROD", attendees=("P1", "P2", "A1"))
    december = make_salon(engine, month="2026-12", department="PROD", attendees=("P2",))
    with session_scope(engine) as session:
        record_attendance_contributions(session, october, SCORER)
        for salon, who, kind in (
            (october, "P2", K.EXCELLENT_SHARER),
            (october, "P2", K.PROBLEM_SOLVER),
            (december, "P2", K.SHARER),
            (october, "P1", K.SHARER),
        ):
            record_contribution(session, salon_id=salon, employee_id=who, kind=kind, scorer=SCORER)
    return people


def rows(path, name: str) -> list[dict]:
    frame = read_table(path, name, APPRAISAL).frame
    return frame.drop("row").to_dicts()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_export_reads_back_through_the_importers_reader_with_appraisalbonuss_figures(
    database_url, engine, contributions, tmp_path, file_format
):
    path = tmp_path / f"bonuses.{file_format}"

    result = run_salon(
        "export", "bonuses", "--cycle", "2026-H2", "--format", file_format, "--output", str(path),
        env=salon_env(SALON_DATABASE_URL=database_url),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "2 people with a bonus in 2026-H2" in result.stderr
    found = rows(path, path.name)
    assert found == [
        {"employee_id": "P1", "cycle": "2026-H2", "points": "1", "reasons": "2026-10沙龙分享者 +1"},
        {
            "employee_id": "P2",
            "cycle": "2026-H2",
            "points": "5",
            "reasons": "2026-10沙龙优秀分享者 +2；2026-10沙龙问题解决者 +3；2026-12沙龙分享者 +1；共6分，按上限计5分",
        },
    ]  # A1 only attended: no points, no row
    with session_scope(engine) as session:
        shown = {
            code: appraisal_bonus(session, contributions[code], parse_cycle("2026-H2"), PointsPolicy())
            for code in ("P1", "P2", "A1")
        }
    assert {row["employee_id"]: float(row["points"]) for row in found} == {
        k: v for k, v in shown.items() if v
    }


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_csv_goes_to_stdout_in_english_when_the_deployment_speaks_english(
    database_url, contributions, tmp_path
):
    result = run_salon(
        "export", "bonuses", "--cycle", "2026-10",
        env=salon_env(SALON_DATABASE_URL=database_url, SALON_LOCALE="en"),
    )  # fmt: skip
    path = tmp_path / "stdout.csv"
    path.write_text(result.stdout, encoding="utf-8")

    assert result.returncode == 0, result.stderr
    assert rows(path, path.name) == [
        {"employee_id": "P1", "cycle": "2026-10", "points": "1", "reasons": "2026-10 salon sharer +1"},
        {
            "employee_id": "P2",
            "cycle": "2026-10",
            "points": "5",
            "reasons": "2026-10 salon excellent sharer +2; 2026-10 salon problem solver +3",
        },
    ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_cycle_of_no_known_form_is_refused_naming_the_option(database_url, contributions):
    result = run_salon(
        "export", "bonuses", "--cycle", "2026-H3", env=salon_env(SALON_DATABASE_URL=database_url)
    )

    assert result.returncode == 2
    assert "'--cycle'" in result.stderr and "YYYY-Hn" in result.stderr
    assert result.stdout == ""
