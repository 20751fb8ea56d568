"""Every validation rule, each with a failing row: the report names row, column and reason,
and (all-or-nothing by default) nothing is written."""

from __future__ import annotations

import pytest

from tests.domain.importing.conftest import do_import, snapshot

OBS = "metric_code,period,department_code,employee_id,value,numerator,denominator\n"

CASES = [
    # kind, file text, (row, column, words in the message)
    ("departments", "code,name,parent_code\nX,,HQ\n", (2, "name", "name is required")),
    (
        "departments",
        "code,name,parent_code\nX,x,NOPE\n",
        (2, "parent_code", "unknown parent department 'NOPE'"),
    ),
    ("departments", "code,name,parent_code\nX,x,X\n", (2, "parent_code", "own parent")),
    ("departments", "code,name,parent_code\nHQ,总部,PROD\n", (2, "parent_code", "cycle")),
    (
        "departments",
        "code,name,parent_code,timezone\nX,x,HQ,Mars/Olympus\n",
        (2, "timezone", "not an IANA time zone name (e.g. Asia/Shanghai, Europe/Berlin): 'Mars/Olympus'"),
    ),
    (
        "employees",
        "employee_id,name,department_code,hire_date\nE9,x,NOPE,2020-01-01\n",
        (2, "department_code", "unknown department 'NOPE'"),
    ),
    (
        "employees",
        "employee_id,name,department_code,hire_date\nE9,x,PROD,2020-13-01\n",
        (2, "hire_date", "not a date"),
    ),
    (
        "employees",
        "employee_id,name,department_code,hire_date,manager_id\nE9,x,PROD,2020-01-01,E404\n",
        (2, "manager_id", "unknown manager 'E404'"),
    ),
    (
        "employees",
        "employee_id,name,department_code,hire_date,manager_id\nE9,x,PROD,2020-01-01,E9\n",
        (2, "manager_id", "own manager"),
    ),
    (
        "employees",
        "employee_id,name,department_code,hire_date,email\nE9,x,PROD,2020-01-01,nope\n",
        (2, "email", "not an email address"),
    ),
    (
        "employees",
        "employee_id,name,department_code,hire_date,locale\nE9,x,PROD,2020-01-01,xx\n",
        (
            2,
            "locale",
            "locale must be one of zh-CN, zh-TW, en, ja, ko, de, fr, es, pt-BR, ru, vi, th, got 'xx'",
        ),
    ),
    (
        "metrics",
        "code,name,direction,aggregation\nm,x,sideways,mean\n",
        (2, "direction", "must be higher or lower"),
    ),
    (
        "metrics",
        "code,name,direction,aggregation\nm,x,higher,median\n",
        (2, "aggregation", "must be mean, sum or ratio"),
    ),
    (
        "targets",
        "department_code,metric_code,period,target\nPROD,defect_rate,2026-Q5,0.02\n",
        (2, "period", "invalid period '2026-Q5'"),
    ),
    (
        "targets",
        "department_code,metric_code,period,target\nPROD,nope,2026-Q3,0.02\n",
        (2, "metric_code", "unknown metric 'nope'"),
    ),
    (
        "targets",
        "department_code,metric_code,period,target\nPROD,defect_rate,2026-Q3,low\n",
        (2, "target", "not a number: 'low'"),
    ),
    ("observations", OBS + "defect_rate,2026-Q3,PROD,,0.02,,\n", (2, "period", "expected a month")),
    (
        "observations",
        OBS + "defect_rate,2026-09,PROD,E404,0.02,,\n",
        (2, "employee_id", "unknown employee 'E404'"),
    ),
    ("observations", OBS + "defect_rate,2026-09,PROD,,0.02,2,0\n", (2, "denominator", "greater than 0")),
    ("observations", OBS + "defect_rate,2026-09,PROD,,,2,\n", (2, "denominator", "missing")),
    (
        "observations",
        OBS + "defect_rate,2026-09,PROD,,0.5,2,100\n",
        (2, "value", "does not match numerator/denominator"),
    ),
    ("observations", OBS + "defect_rate,2026-09,PROD,,,,\n", (2, "value", "value is required")),
    (
        "observations",
        OBS + "defect_rate,2026-09,PROD,,0.02,,\ndefect_rate,2026-09,PROD,,0.03,,\n",
        (3, None, "conflicts with row 2"),
    ),
    ("reviews", "employee_id,cycle,score\nE1,2026-H1,-5\n", (2, "score", "must not be negative")),
    (
        "feedback",
        "employee_id,period,metric_code,text,tags\n,2026-09,defect_rate,匿名反馈,training\n",
        (2, "department_code", "required for anonymous feedback"),
    ),
    ("growth", "employee_id,date,kind,skill\nE1,2026-01-05,wish,qc\n", (2, "kind", "must be one of")),
    (
        "growth",
        "employee_id,date,skill\nE1,2026-01-05,qc\n",
        (0, None, "missing required columns: kind (类型)"),
    ),
]


@pytest.mark.parametrize(("kind", "text", "expected"), CASES, ids=[f"{c[0]}:{c[2][2]}" for c in CASES])
def test_each_rule_names_the_row_column_and_reason_and_writes_nothing(org, kind, text, expected):
    before = snapshot(org)

    report = do_import(org, kind, text)

    row, column, words = expected
    assert not report.applied
    assert any(e.row == row and e.column == column and words in e.message for e in report.errors), (
        report.errors
    )
    assert snapshot(org) == before


def test_every_error_of_a_file_is_listed_not_just_the_first(org):
    text = OBS + "defect_rate,2026-09,PROD,,x,,\nnope,2026-09,PROD,,0.1,,\ndefect_rate,2026-13,PROD,,0.1,,\n"

    report = do_import(org, "observations", text)

    assert [(e.row, e.column) for e in report.errors] == [(2, "value"), (3, "metric_code"), (4, "period")]
    assert report.rejected == 3 and report.rows_read == 3


def test_a_row_leaning_on_a_rejected_row_of_the_same_file_is_rejected_too(org):
    text = "code,name,parent_code\nNEW,,HQ\nCHILD,子部门,NEW\n"

    report = do_import(org, "departments", text, partial=True)

    assert {(e.row, e.column) for e in report.errors} == {(2, "name"), (3, "parent_code")}
    assert "rejected (row 2)" in report.errors[-1].message
    assert report.counts.inserted == 0


def test_extra_columns_are_ignored_with_a_warning(org):
    report = do_import(org, "reviews", "employee_id,cycle,score,remark\nE1,2026-H1,88,好\n")

    assert report.applied and report.counts.inserted == 1
    assert any("remark" in warning for warning in report.warnings)


def test_exact_repeats_are_imported_once_with_a_warning(org):
    report = do_import(org, "reviews", "employee_id,cycle,score\nE1,2026-H1,88\nE1,2026-H1,88\n")

    assert report.applied and report.counts.inserted == 1 and not report.errors
    assert any("repeat" in warning for warning in report.warnings)


def test_spreadsheet_habits_are_understood(org):
    """Percent signs, thousands separators, Chinese vocabulary and slashes in dates."""
    metrics = "code,name,direction,aggregation\nrevenue,营收,越高越好,求和\n"
    assert do_import(org, "metrics", metrics).applied
    observations = OBS + 'revenue,2026-09,PROD,,"1,234.5",,\ndefect_rate,2026-09,PROD,,2.5%,,\n'
    growth = "employee_id,date,kind,skill\nE1,2026/01/05,培训,qc\n"

    reports = [do_import(org, "observations", observations), do_import(org, "growth", growth)]

    assert all(r.applied and not r.errors for r in reports), [r.errors for r in reports]
    from sqlalchemy import text

    with org.connect() as connection:
        values = dict(
            connection.execute(
                text("SELECT m.code, o.value FROM observation o JOIN metric m ON m.id = o.metric_id")
            ).all()
        )
        kinds = connection.execute(text("SELECT kind FROM growthrecord")).scalars().all()
    assert values == {"revenue": 1234.5, "defect_rate": 0.025}
    assert kinds == ["training"]


def test_time_zones_and_locales_are_imported_with_chinese_headers_too(org):
    departments = "部门编码,部门名称,上级部门编码,时区\nBER,柏林办公室,HQ,Europe/Berlin\n"
    employees = "员工编号,姓名,部门编码,入职日期,语言\nB1,Anna,BER,2021-05-01,en\n"

    reports = [do_import(org, "departments", departments), do_import(org, "employees", employees)]

    assert all(r.applied and not r.errors for r in reports), [r.errors for r in reports]
    from sqlalchemy import text

    with org.connect() as connection:
        zones = dict(connection.execute(text("SELECT code, timezone FROM department")).all())
        locale = connection.execute(text("SELECT locale FROM employee WHERE employee_id = 'B1'")).scalar()
    assert zones == {"HQ": None, "PROD": None, "CS": None, "BER": "Europe/Berlin"}
    assert locale == "en"
