"""The demo's planted stories come out of the pipeline: database → roll-up → gaps."""

from __future__ import annotations

import polars as pl
import pytest

from domain.db import make_engine
from workers.analytics.gaps import gaps
from workers.rebuild import rebuild


@pytest.fixture(scope="module")
def demo_gaps(tmp_path_factory, sqlite_demo_file) -> pl.DataFrame:
    import shutil

    path = tmp_path_factory.mktemp("gaps") / "demo.db"
    shutil.copy(sqlite_demo_file, path)
    engine = make_engine(f"sqlite:///{path}")
    rebuild(engine)
    read = lambda query: pl.read_database(query, engine)  # noqa: E731
    values = read(
        "SELECT metric_id, department_id, period, value, numerator, denominator, contributors FROM departmentvalue"
    )
    metric_rows = read("SELECT id AS metric_id, code AS metric, direction, aggregation FROM metric")
    target_rows = read("SELECT metric_id, department_id, period, target FROM target")
    departments = read("SELECT id AS department_id, code AS department FROM department")
    engine.dispose()
    result = gaps(values, metric_rows.drop("metric"), target_rows)
    return result.join(metric_rows.select("metric_id", "metric"), on="metric_id").join(
        departments, on="department_id"
    )


def gap(frame: pl.DataFrame, department: str, metric: str, period: str) -> dict:
    return frame.filter(
        (pl.col("department") == department) & (pl.col("metric") == metric) & (pl.col("period") == period)
    ).row(0, named=True)


def test_stores_average_order_value_falls_about_12_percent_in_q3(demo_gaps):
    q3 = gap(demo_gaps, "STORE", "avg_order_value", "2026-Q3")

    assert q3["change"] == pytest.approx(-0.12, abs=0.02)
    assert q3["worsening"]


def test_production_defect_rate_is_up_and_below_target(demo_gaps):
    latest = gap(demo_gaps, "PROD", "defect_rate", "2026-Q3")

    assert latest["worsening"] and latest["below_target"]
    assert latest["severity"] > 0


def test_customer_service_is_best_on_complaints(demo_gaps):
    rates = {d: gap(demo_gaps, d, "complaint_rate", "2026-10")["actual"] for d in ("CS", "SALES", "OPS")}

    assert min(rates, key=rates.get) == "CS"
    assert rates == pytest.approx({"CS": 0.08, "SALES": 0.12, "OPS": 0.15}, abs=0.01)


def test_no_nan_or_infinity_anywhere(demo_gaps):
    floats = demo_gaps.select(pl.col(pl.Float64))
    assert not floats.select(pl.any_horizontal(pl.all().is_nan() | pl.all().is_infinite()).any()).item()
