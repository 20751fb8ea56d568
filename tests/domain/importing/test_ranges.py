"""Metrics declare plausible ranges: a value outside its metric's range is a row error with a
hint, so `8` for an 8% complaint rate is not imported as 800%."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.models import Metric, Observation, Target
from tests.domain.importing.conftest import do_import, snapshot

OBS = "metric_code,period,department_code,employee_id,value,numerator,denominator\n"
TARGETS = "department_code,metric_code,period,target\n"


def _values(engine, table) -> list[float]:
    column = table.value if table is Observation else table.target
    with engine.connect() as connection:
        return sorted(connection.execute(select(column)).scalars())


def test_a_percent_metric_takes_a_fraction_or_a_percent_sign(org):
    """defect_rate's unit is %: 0.08 and 8% are both 0.08."""
    text = OBS + "defect_rate,2026-08,PROD,E1,0.08,,\ndefect_rate,2026-09,PROD,E1,8%,,\n"

    report = do_import(org, "observations", text)

    assert report.applied and not report.errors, report.errors
    assert _values(org, Observation) == [0.08, 0.08]


def test_a_bare_number_above_one_for_a_percent_metric_is_a_row_error_with_a_hint(org):
    before = snapshot(org)
    text = OBS + "defect_rate,2026-08,PROD,E1,0.02,,\ndefect_rate,2026-09,PROD,E1,8,,\n"

    report = do_import(org, "observations", text)

    assert not report.applied
    assert [(e.row, e.column) for e in report.errors] == [(3, "value")]
    assert "8 looks like a percent: write 0.08 or 8%" in report.errors[0].message
    assert snapshot(org) == before


def test_a_percent_target_is_checked_the_same_way(org):
    text = TARGETS + "PROD,defect_rate,2026-Q3,9\nPROD,defect_rate,2026-Q4,9%\n"

    report = do_import(org, "targets", text, partial=True)

    assert [(e.row, e.column) for e in report.errors] == [(2, "target")]
    assert "9 looks like a percent: write 0.09 or 9%" in report.errors[0].message
    assert _values(org, Target) == [0.09]


def test_a_negative_percent_is_outside_the_range_without_the_hint(org):
    report = do_import(org, "observations", OBS + "defect_rate,2026-09,PROD,E1,-0.5,,\n")

    assert [(e.row, e.column) for e in report.errors] == [(2, "value")]
    message = report.errors[0].message
    assert "outside the plausible range of defect_rate (0 to 1)" in message
    assert "looks like a percent" not in message


@pytest.mark.parametrize(
    "header",
    ["code,name,unit,direction,aggregation,min,max", "指标编码,指标名称,单位,方向,汇总方式,最小值,最大值"],
)
def test_metrics_declare_min_and_max_in_english_or_chinese(org, header):
    text = (
        header
        + "\nhandling_hours,投诉处理时长,小时,lower,mean,0,100\nattainment,达成率,%,higher,mean,,150%\n"
    )

    report = do_import(org, "metrics", text)

    assert report.applied and not report.errors, report.errors
    with org.connect() as connection:
        rows = connection.execute(
            select(Metric.code, Metric.min_value, Metric.max_value).order_by(Metric.code)
        ).all()
    assert [tuple(r) for r in rows if r[0] in ("attainment", "handling_hours")] == [
        ("attainment", None, 1.5),
        ("handling_hours", 0.0, 100.0),
    ]


def test_declared_bounds_are_checked_and_named(org):
    do_import(
        org,
        "metrics",
        "code,name,unit,direction,aggregation,min,max\nhandling_hours,处理时长,小时,lower,mean,0,100\n",
    )
    text = (
        OBS
        + "handling_hours,2026-07,CS,E3,320,,\nhandling_hours,2026-08,CS,E3,-1,,\nhandling_hours,2026-09,CS,E3,100,,\n"
    )

    report = do_import(org, "observations", text, partial=True)

    assert [(e.row, e.column) for e in report.errors] == [(2, "value"), (3, "value")]
    assert "320 is outside the plausible range of handling_hours (0 to 100)" in report.errors[0].message
    assert "-1 is outside the plausible range of handling_hours (0 to 100)" in report.errors[1].message
    assert _values(org, Observation) == [100.0]


def test_a_percent_metric_may_declare_a_wider_range(org):
    do_import(org, "metrics", "code,name,unit,direction,aggregation,max\nattainment,达成率,%,higher,mean,2\n")
    text = OBS + "attainment,2026-09,PROD,,1.5,,\n"

    report = do_import(org, "observations", text)

    assert report.applied and not report.errors, report.errors


def test_a_minimum_above_the_maximum_is_a_row_error(org):
    report = do_import(org, "metrics", "code,name,direction,aggregation,min,max\nm,x,higher,mean,5,1\n")

    assert [(e.row, e.column) for e in report.errors] == [(2, "min")]
    assert "min 5 is greater than max 1" in report.errors[0].message


def test_a_metric_without_a_range_takes_any_number(org):
    text = OBS + "handling_hours,2026-09,CS,E3,320,,\n"

    report = do_import(org, "observations", text)

    assert report.applied and not report.errors


def test_a_percent_unit_written_otherwise_is_stored_as_the_percent_sign(org):
    report = do_import(org, "metrics", "code,name,unit,direction,aggregation\nshare,占比,％,higher,mean\n")

    assert report.applied
    with org.connect() as connection:
        unit = connection.execute(select(Metric.unit).where(Metric.code == "share")).scalar_one()
    assert unit == "%"
    refused = do_import(org, "observations", OBS + "share,2026-09,PROD,,30,,\n")
    assert "30 looks like a percent: write 0.3 or 30%" in refused.errors[0].message
