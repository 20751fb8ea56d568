"""The labels import kind: display names of metrics, skills, tags and departments per language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.labels import load_labels
from domain.models import Job, Label
from domain.vocabulary import LabelKind
from tests.domain.importing.conftest import do_import, snapshot

LABELS = (
    "kind,code,locale,name\n"
    "metric,defect_rate,en,Defect rate\n"
    "skill,quality_control,en_US,Quality control\n"
    "tag,training,zh-Hant-TW,培訓\n"
    "department,PROD,ja,生産部\n"
)


def _labels(engine) -> list[tuple[str, str, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(select(Label.kind, Label.code, Label.locale, Label.name)).all()
    return sorted(tuple(row) for row in rows)


def test_labels_are_imported_with_their_locale_matched_to_a_shipped_one(org):
    report = do_import(org, "labels", LABELS)

    assert report.applied and not report.errors, report.errors
    assert report.counts.inserted == 4
    assert _labels(org) == [
        ("department", "PROD", "ja", "生産部"),
        ("metric", "defect_rate", "en", "Defect rate"),
        ("skill", "quality_control", "en", "Quality control"),
        ("tag", "training", "zh-TW", "培訓"),
    ]


def test_chinese_headers_and_kinds_are_understood_and_a_reimport_changes_nothing(org):
    text = "类型,编码,语言,名称\n指标,defect_rate,en,Defect rate\n标签,training,zh-CN,培训\n"

    first = do_import(org, "labels", text)
    again = do_import(org, "labels", text.replace("指标", "metric"))

    assert first.applied and first.counts.inserted == 2, first.errors
    assert again.counts.unchanged == 2 and again.counts.inserted == again.counts.updated == 0
    assert first.checksum == again.checksum


def test_a_new_name_updates_the_label(org):
    do_import(org, "labels", "kind,code,locale,name\nmetric,defect_rate,en,Defects\n")

    report = do_import(org, "labels", "kind,code,locale,name\nmetric,defect_rate,en,Defect rate\n")

    assert report.counts.updated == 1
    assert _labels(org) == [("metric", "defect_rate", "en", "Defect rate")]


def test_labels_queue_no_recompute(org):
    with org.connect() as connection:
        jobs_before = len(connection.execute(select(Job.id)).all())

    report = do_import(org, "labels", LABELS, on_change=lambda connection, scope: pytest.fail("recompute"))

    assert report.applied and report.scope is None and report.job_id is None
    with org.connect() as connection:
        assert len(connection.execute(select(Job.id)).all()) == jobs_before


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("colour,red,en,Red", "kind", "kind must be metric, skill, tag or department"),
        ("metric,defect_rate,xx-YY,Defects", "locale", "locale must be one of zh-CN zh-TW en"),
        ("metric,no_such_metric,en,Nothing", "code", "unknown metric 'no_such_metric'"),
        ("department,NOPE,en,Nowhere", "code", "unknown department 'NOPE'"),
        ("skill,qc,en,", "name", "name is required"),
    ],
)
def test_each_label_rule_names_the_row_and_column(org, row, column, words):
    before = snapshot(org)

    report = do_import(org, "labels", "kind,code,locale,name\n" + row + "\n")

    assert not report.applied
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert words in report.errors[0].message
    assert snapshot(org) == before


def test_two_names_for_one_code_and_locale_conflict(org):
    text = "kind,code,locale,name\nmetric,defect_rate,en,Defect rate\nmetric,defect_rate,en-GB,Defects\n"

    report = do_import(org, "labels", text, partial=True)

    assert sorted(e.row for e in report.errors) == [2, 3]
    assert _labels(org) == []


def test_labels_load_the_imported_labels_and_the_templates_names(org):
    do_import(
        org, "labels", "kind,code,locale,name\nmetric,defect_rate,en,Defect rate\ntag,training,en,Training\n"
    )

    labels = load_labels(org, default_locale="zh-CN")

    assert labels.name(LabelKind.METRIC, "defect_rate", "en") == "Defect rate"
    assert labels.name(LabelKind.METRIC, "defect_rate", "zh-CN") == "不良率"  # the metrics template
    assert labels.name(LabelKind.DEPARTMENT, "PROD", "en") == "生产部"  # the departments template
    assert labels.name(LabelKind.TAG, "training", "en-US") == "Training"
    assert labels.name(LabelKind.SKILL, "quality_control", "en") == "Quality control"
