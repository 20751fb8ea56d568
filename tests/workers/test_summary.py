from __future__ import annotations

import polars as pl

from workers.analytics.summary import summarise_observations


def test_totals_over_metrics():
    per_metric = pl.DataFrame(
        {
            "metric_id": [1, 2],
            "rows": [10, 5],
            "employee_rows": [8, 0],
            "first_period": ["2025-03", "2025-01"],
            "last_period": ["2026-10", "2026-09"],
        }
    )

    assert summarise_observations(per_metric) == {
        "rows": 15,
        "employee_rows": 8,
        "metrics": 2,
        "first_period": "2025-01",
        "last_period": "2026-10",
    }


def test_no_observations_is_an_explicit_empty_summary():
    empty = pl.DataFrame(
        schema={
            "metric_id": pl.Int64,
            "rows": pl.Int64,
            "employee_rows": pl.Int64,
            "first_period": pl.String,
            "last_period": pl.String,
        }
    )

    assert summarise_observations(empty) == {
        "rows": 0,
        "employee_rows": 0,
        "metrics": 0,
        "first_period": None,
        "last_period": None,
    }
