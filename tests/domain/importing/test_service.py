"""Upserts, counts, modes and atomicity of a whole import, on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import polars as pl
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from domain.importing import bulk
from domain.importing.service import Limits
from tests.domain.importing.conftest import do_import, snapshot

OBS_HEADER = "metric_code,period,department_code,employee_id,value,numerator,denominator\n"
OBSERVATIONS = OBS_HEADER + (
    "defect_rate,2026-08,PROD,,0.02,2,100\n"
    "defect_rate,2026-09,PROD,,0.03,3,100\n"
    "defect_rate,2026-09,PROD,E1,0.01,1,100\n"
    "defect_rate,2026-09,PROD,E2,0.05,5,100\n"
    "handling_hours,2026-09,CS,E3,30,,\n"
)
OBSERVATIONS_ZH = (
    "指标编码,周期,部门编码,员工编号,数值,分子,分母\n"
    "handling_hours,2026-09,CS,E3,30,,\n"
    "defect_rate,2026-09,PROD,E2,0.05,5,100\n"
    "defect_rate,2026-08,PROD,,0.02,2,100\n"
    "defect_rate,2026-09,PROD,E1,0.01,1,100\n"
    "defect_rate,2026-09,PROD,,0.03,3,100\n"
)


def test_first_import_inserts_and_enqueues_only_what_it_touched(org):
    report = do_import(org, "observations", OBSERVATIONS)

    assert report.applied and report.errors == []
    assert (report.rows_read, report.counts.inserted, report.counts.updated, report.counts.unchanged) == (
        5,
        5,
        0,
        0,
    )
    assert report.scope == {
        "metric_codes": ["defect_rate", "handling_hours"],
        "department_codes": ["CS", "PROD"],
        "periods": ["2026-08", "2026-09"],
    }


def test_reimporting_the_same_content_changes_nothing(org):
    first = do_import(org, "observations", OBSERVATIONS)
    after_first = snapshot(org)

    again = do_import(org, "observations", OBSERVATIONS)

    assert again.applied and (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (
        0,
        0,
        5,
    )
    assert again.scope is None  # nothing changed: nothing to recompute
    assert again.checksum == first.checksum
    assert snapshot(org) == after_first


def test_a_changed_value_is_an_update_and_the_scope_is_its_partition(org):
    do_import(org, "observations", OBSERVATIONS)

    changed = OBSERVATIONS.replace("handling_hours,2026-09,CS,E3,30", "handling_hours,2026-09,CS,E3,26")
    report = do_import(org, "observations", changed)

    assert (report.counts.inserted, report.counts.updated, report.counts.unchanged) == (0, 1, 4)
    assert report.scope == {
        "metric_codes": ["handling_hours"],
        "department_codes": ["CS"],
        "periods": ["2026-09"],
    }
    with org.connect() as connection:
        assert (
            connection.execute(text("SELECT value FROM observation WHERE numerator IS NULL")).scalar_one()
            == 26
        )


def test_department_and_employee_rows_have_their_own_natural_keys(org):
    do_import(org, "observations", OBSERVATIONS)

    with org.connect() as connection:
        levels = connection.execute(
            text("SELECT count(*) FILTER (WHERE employee_id IS NULL), count(employee_id) FROM observation")
            if org.dialect.name == "postgresql"
            else text("SELECT sum(employee_id IS NULL), count(employee_id) FROM observation")
        ).one()
    assert tuple(levels) == (2, 3)


def test_gbk_chinese_headers_xlsx_and_row_order_give_the_same_checksum(org):
    utf8 = do_import(org, "observations", OBSERVATIONS, dry_run=True)
    gbk = do_import(org, "observations", OBSERVATIONS_ZH.encode("gbk"), dry_run=True)
    workbook = io.BytesIO()
    pl.read_csv(io.StringIO(OBSERVATIONS_ZH), infer_schema=False).write_excel(workbook)
    xlsx = do_import(org, "observations", workbook.getvalue(), name="观测值.xlsx", dry_run=True)

    assert utf8.checksum == gbk.checksum == xlsx.checksum
    assert len(utf8.checksum) == 64
    assert [r.counts.inserted for r in (utf8, gbk, xlsx)] == [5, 5, 5]
    different = do_import(org, "observations", OBSERVATIONS.replace(",30,", ",31,"), dry_run=True)
    assert different.checksum != utf8.checksum


def test_dry_run_counts_but_writes_nothing(org):
    before = snapshot(org)

    report = do_import(org, "observations", OBSERVATIONS, dry_run=True)

    assert report.dry_run and not report.applied
    assert report.counts.inserted == 5
    assert snapshot(org) == before


def test_partial_writes_the_valid_rows_and_reports_the_rest(org):
    text_with_bad_rows = (
        OBSERVATIONS + "defect_rate,2026-09,NOPE,,0.1,,\nhandling_hours,2026-10,CS,E3,abc,,\n"
    )

    report = do_import(org, "observations", text_with_bad_rows, partial=True)

    assert report.applied
    assert (report.rows_read, report.rejected, report.counts.inserted) == (7, 2, 5)
    assert [(e.row, e.column) for e in report.errors] == [(7, "department_code"), (8, "value")]


def test_all_or_nothing_is_the_default(org):
    before = snapshot(org)

    report = do_import(org, "observations", OBSERVATIONS + "defect_rate,2026-09,NOPE,,0.1,,\n")

    assert not report.applied and report.rejected == 1
    assert report.counts.inserted == 0
    assert snapshot(org) == before


def test_a_database_failure_mid_write_leaves_every_table_as_it_was(org, monkeypatch):
    do_import(org, "observations", OBSERVATIONS)
    before = snapshot(org)

    def refuse(*args, **kwargs):
        raise IntegrityError("UPDATE observation ...", {}, Exception("duplicate key"))

    monkeypatch.setattr(bulk, "update", refuse)  # inserts of the new row already happened
    changed = OBSERVATIONS.replace(",30,", ",25,") + "handling_hours,2026-10,CS,E3,20,,\n"
    report = do_import(org, "observations", changed)

    assert not report.applied
    assert report.errors[0].row == 0 and "nothing was written" in report.errors[0].message
    assert "UPDATE" not in report.errors[0].message  # no SQL leaves the importer
    assert snapshot(org) == before


def test_department_tree_and_managers_can_arrive_in_one_file_in_any_order(org):
    departments = "code,name,parent_code\nLEAF,叶子,MID\nMID,中间,HQ\n"
    employees = (
        "employee_id,name,department_code,hire_date,manager_id\n"
        "E11,甲,LEAF,2024-01-01,E10\nE10,乙,LEAF,2023-01-01,\n"
    )

    reports = [do_import(org, "departments", departments), do_import(org, "employees", employees)]

    assert all(r.applied and not r.errors for r in reports)
    with org.connect() as connection:
        parent = connection.execute(
            text(
                "SELECT p.code FROM department d JOIN department p ON p.id = d.parent_id WHERE d.code = 'LEAF'"
            )
        ).scalar_one()
        manager = connection.execute(
            text(
                "SELECT m.employee_id FROM employee e JOIN employee m ON m.id = e.manager_id WHERE e.employee_id = 'E11'"
            )
        ).scalar_one()
    assert (parent, manager) == ("MID", "E10")
    moved = do_import(org, "departments", "code,name,parent_code\nLEAF,叶子,HQ\n")
    assert moved.counts.updated == 1  # a new parent is a change


def test_feedback_reimport_is_idempotent_and_tags_are_a_set(org):
    feedback = (
        "employee_id,period,metric_code,text,tags,department_code\n"
        "E2,2026-09,defect_rate,新人培训太短,training;onboarding,\n"
        ",2026-09,defect_rate,匿名：设备老化,equipment,PROD\n"
    )
    first = do_import(org, "feedback", feedback)
    reordered = do_import(org, "feedback", feedback.replace("training;onboarding", "onboarding；training"))

    assert first.counts.inserted == 2
    assert (reordered.counts.inserted, reordered.counts.updated, reordered.counts.unchanged) == (0, 0, 2)
    assert reordered.checksum == first.checksum


@pytest.mark.parametrize(
    ("limits", "words"), [(Limits(max_bytes=100), "limit is 100 bytes"), (Limits(max_rows=3), "limit is 3")]
)
def test_upload_limits_are_a_clean_error(org, limits, words):
    report = do_import(org, "observations", OBSERVATIONS, limits=limits)

    assert not report.applied
    assert report.errors[0].row == 0 and words in report.errors[0].message


def _workbook_with(text: str) -> bytes:
    """An employees-free departments workbook whose second row's name is ``text`` as the XML says it."""
    from tests.domain.importing.test_xlsx_guard import HEADER, cell, workbook

    return workbook(
        HEADER + f'<row r="2">{cell("A2", "NEW")}{cell("B2", text)}</row><row r="3">{cell("A3", "OK")}'
        f"{cell('B3', 'fine')}</row>"
    )


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (_workbook_with("a_x0000_b"), "departments.xlsx", "0000"),  # calamine decodes the escape to NUL
        (_workbook_with("a_x001B_b"), "departments.xlsx", "001B"),
        (b"code,name\nNEW,a\x00b\nOK,fine\n", "departments.csv", "0000"),  # a raw NUL in a CSV cell
    ],
)
def test_a_control_character_is_a_row_error_naming_row_and_column(org, content, name, code):
    before = snapshot(org)

    report = do_import(org, "departments", content, name=name)

    assert not report.applied and report.rejected == 1
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "name", f"contains a control character (U+{code}) that cannot be stored")
    ]
    assert snapshot(org) == before

    partial = do_import(org, "departments", content, name=name, partial=True)

    assert partial.applied and partial.counts.inserted == 1 and partial.rejected == 1
