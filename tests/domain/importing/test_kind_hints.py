"""A file chosen as the wrong kind: when its headers fit another kind's template, the report
says so ("these look like an employees file") and nothing is written."""

from __future__ import annotations

import pytest

from domain.importing.templates import ImportKind, fitting_kinds
from tests.domain.importing.conftest import DEPARTMENTS, EMPLOYEES, METRICS, do_import, snapshot

OBS = "metric_code,period,department_code,employee_id,value,numerator,denominator\nhandling_hours,2026-09,CS,E3,30,,\n"
TARGETS = "department_code,metric_code,period,target\nCS,handling_hours,2026-Q3,24\n"
LABELS = "kind,code,locale,name\nmetric,defect_rate,en,Defect rate\n"


@pytest.mark.parametrize(
    ("headers", "kinds"),
    [
        (["employee_id", "name", "department_code", "hire_date"], [ImportKind.EMPLOYEES]),
        (["员工编号", "姓名", "部门编码", "入职日期", "邮箱"], [ImportKind.EMPLOYEES]),
        (["code", "name", "parent_code"], [ImportKind.DEPARTMENTS]),
        # a metrics file also holds what a departments file needs; metrics fits more of it
        (["code", "name", "unit", "direction", "aggregation"], [ImportKind.METRICS, ImportKind.DEPARTMENTS]),
        (["Code", " Name ", "\ufeffKind", "locale"], [ImportKind.LABELS, ImportKind.DEPARTMENTS]),
        (["remark", "note"], []),
    ],
)
def test_the_kinds_a_header_fits_best_first(headers, kinds):
    assert fitting_kinds(headers) == kinds


@pytest.mark.parametrize(
    ("chosen", "text", "looks_like"),
    [
        ("observations", EMPLOYEES, "these look like an employees file"),
        ("metrics", DEPARTMENTS, "these look like a departments file"),
        (
            "reviews",
            "employee_id,date,kind,skill\nE1,2026-01-05,training,qc\n",
            "these look like a growth file",
        ),
        # the chosen kind's required columns are all there, but another kind fits more of them
        ("departments", METRICS, "these look like a metrics file"),
        ("departments", LABELS, "these look like a labels file"),
        ("observations", TARGETS, "these look like a targets file"),
    ],
)
def test_a_file_that_fits_another_kind_is_refused_saying_which(org, chosen, text, looks_like):
    before = snapshot(org)

    report = do_import(org, chosen, text, name="export.csv")

    assert not report.applied and report.counts.inserted == 0
    assert [e.row for e in report.errors] == [0]
    assert looks_like in report.errors[0].message
    assert snapshot(org) == before


def test_a_file_of_the_chosen_kind_gets_no_hint_even_with_another_kinds_column(org):
    """An observations file with a target column is still an observations file."""
    text = OBS.replace("denominator\n", "denominator,target\n").replace("30,,\n", "30,,,24\n")

    report = do_import(org, "observations", text)

    assert report.applied and not report.errors, report.errors
    assert not any("look like" in w for w in report.warnings)


def test_a_file_without_any_kinds_columns_only_names_what_is_missing(org):
    report = do_import(org, "departments", "remark\nx\n")

    assert report.errors[0].message == "missing required columns: code (部门编码), name (部门名称)"
