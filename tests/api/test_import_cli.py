"""``salon import`` as HR runs it: the demo generator's exports, then a bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from domain.db import make_engine
from domain.demo import write_templates
from domain.models import DepartmentValue, Job, JobStatus, Observation
from tests.conftest import DATABASES
from tests.domain.importing.test_xlsx_guard import FAR_CORNER
from tests.support.processes import run_salon, salon_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    directory = tmp_path_factory.mktemp("exports")
    write_templates(directory)
    return directory


@pytest.mark.parametrize("empty_database_url", DATABASES, indirect=True)
def test_a_folder_of_exports_imports_cleanly_and_recomputes(exports, empty_database_url):
    env = salon_env(SALON_DATABASE_URL=empty_database_url)
    if not empty_database_url.startswith("sqlite"):
        assert run_salon("db", "upgrade", env=env).returncode == 0

    result = run_salon("import", str(exports), "--json", env=env, timeout=300)

    assert result.returncode == 0, result.stderr
    reports = json.loads(result.stdout)
    assert [r["kind"] for r in reports] == [
        "DEPARTMENTS",
        "EMPLOYEES",
        "METRICS",
        "TARGETS",
        "OBSERVATIONS",
        "REVIEWS",
        "FEEDBACK",
        "LABELS",
        "GROWTH",
    ]
    assert all(r["applied"] and r["errors"] == [] and r["inserted"] == r["rowsRead"] for r in reports)
    computed = [r for r in reports if r["kind"] != "LABELS"]  # names are only read: nothing to recompute
    assert all(
        r["job"]["status"] == "SUCCEEDED" for r in computed
    )  # the embedded worker ran them before exit
    assert reports[7]["job"] is None
    assert "recompute" in result.stderr  # progress is shown
    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        observations = connection.execute(select(func.count()).select_from(Observation)).scalar_one()
        results = connection.execute(select(func.count()).select_from(DepartmentValue)).scalar_one()
        failed = connection.execute(
            select(func.count()).select_from(Job).where(Job.status != JobStatus.SUCCEEDED)
        ).scalar_one()
    engine.dispose()
    assert observations == reports[4]["rowsRead"] and results > 0 and failed == 0

    again = run_salon("import", str(exports), "--json", env=env, timeout=300)
    assert all(r["unchanged"] == r["rowsRead"] and r["job"] is None for r in json.loads(again.stdout))


def test_a_bad_file_is_reported_row_by_row_and_fails_the_command(tmp_path):
    env = salon_env(SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'salon.db'}")
    bad = tmp_path / "ehr-export-2026.csv"
    bad.write_text("部门编码,部门名称,上级部门编码\nHQ,总部,\nX,,HQ\nY,y,NOPE\n", encoding="gbk")

    no_kind = run_salon("import", str(bad), env=env)
    result = run_salon("import", str(bad), "--kind", "departments", env=env)

    assert no_kind.returncode == 2 and "--kind" in no_kind.stderr
    assert result.returncode == 1
    assert "NOT applied" in result.stdout
    assert "row 3, name: name is required" in result.stdout
    assert "row 4, parent_code: unknown parent department 'NOPE'" in result.stdout


def test_a_workbook_bomb_is_a_file_error_and_the_command_survives(tmp_path):
    # this checkout's code, wherever the ``salon`` script was installed from
    env = salon_env(SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'salon.db'}", PYTHONPATH=str(ROOT))
    bomb = tmp_path / "departments.xlsx"
    bomb.write_bytes(FAR_CORNER)  # 1.6 KB that once asked calamine for 512 GB and aborted the command

    result = run_salon("import", str(bomb), env=env)

    assert result.returncode == 1, result.stderr[-2000:]
    assert "NOT applied" in result.stdout
    assert "file: the sheet has cells as far as column 16,384; at most 1,000 columns" in result.stdout


def test_dry_run_and_partial_from_the_command_line(tmp_path):
    env = salon_env(SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'salon.db'}")
    path = tmp_path / "departments.csv"
    path.write_text("code,name,parent_code\nHQ,总部,\nX,,HQ\n", encoding="utf-8")

    dry = json.loads(run_salon("import", str(path), "--dry-run", "--partial", "--json", env=env).stdout)[0]
    partial = json.loads(run_salon("import", str(path), "--partial", "--json", env=env).stdout)[0]

    assert (dry["dryRun"], dry["applied"], dry["inserted"], dry["rejected"]) == (True, False, 1, 1)
    assert (partial["applied"], partial["inserted"], partial["rejected"]) == (True, 1, 1)


def test_the_headers_tell_what_a_file_holds_when_its_name_or_kind_is_wrong(tmp_path):
    env = salon_env(SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'salon.db'}")
    employees = "employee_id,name,department_code,hire_date\nE1,王芳,PROD,2020-03-01\n"
    unnamed = tmp_path / "ehr-export-2026.csv"
    unnamed.write_text(employees, encoding="utf-8")
    misnamed = tmp_path / "observations.csv"
    misnamed.write_text(employees, encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "export.csv").write_text(employees, encoding="utf-8")

    no_kind = run_salon("import", str(unnamed), env=env)
    wrong_kind = run_salon("import", str(misnamed), env=env)
    skipped = run_salon("import", str(folder), env=env)

    assert no_kind.returncode == 2
    assert "these look like an employees file: add --kind employees" in no_kind.stderr
    assert wrong_kind.returncode == 1
    assert "these look like an employees file (import it as employees)" in wrong_kind.stdout
    assert "these look like an employees file: name it employees.csv" in skipped.stderr
