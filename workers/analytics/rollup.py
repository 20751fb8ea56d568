"""Department values: a department's monthly KPI value, the base of every gap.

The rule is the product's: a department-level observation (``employee_id`` null) is the
department's OFFICIAL value, whatever its employees' rows say; without one, the value is
DERIVED from the employee rows by the metric's aggregation.
"""

from __future__ import annotations

import polars as pl

from domain.vocabulary import Aggregation, ValueSource
from workers.analytics.periods import conform

KEYS = ["metric_id", "department_id", "period"]

OBSERVATIONS_SCHEMA = pl.Schema(
    {
        "metric_id": pl.Int64,
        "department_id": pl.Int64,
        "employee_id": pl.Int64,
        "period": pl.String,
        "value": pl.Float64,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
    }
)
AGGREGATIONS_SCHEMA = pl.Schema({"metric_id": pl.Int64, "aggregation": pl.String})  # how each metric rolls up
# how each metric is judged and rolled up: what gaps and per-person figures need of the metrics
METRIC_KINDS_SCHEMA = pl.Schema({"metric_id": pl.Int64, "direction": pl.String, "aggregation": pl.String})
SCHEMA = pl.Schema(
    {
        "metric_id": pl.Int64,
        "department_id": pl.Int64,
        "period": pl.String,
        "value": pl.Float64,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
        "source": pl.String,
        "contributors": pl.Int64,
    }
)


def department_values(observations: pl.DataFrame, metrics: pl.DataFrame) -> pl.DataFrame:
    """One row per (metric, department, period) with any observation, sorted by those keys.

    Derivation from employee rows, by the metric's ``aggregation``:

    - ``mean``: the mean of their values; ``sum``: the sum;
    - ``ratio``: Σnumerator / Σdenominator over the rows that carry both, which are returned
      as ``numerator``/``denominator``. When no row carries both, the ratio cannot be
      rebuilt, so it falls back to the mean of the values (numerator/denominator null).

    ``contributors`` counts the employee rows behind a derived value (for a ratio, those
    carrying both parts); for an official value, the employee rows that exist (0 if none),
    so a reader sees how much detail stands behind the reported number.

    Denominators are > 0 (a database CHECK), yet a partition whose value would not be
    finite (Σdenominator == 0, NaN/inf in the input) gives no row rather than a NaN.
    Official rows are assumed unique per partition (the database's partial unique index).

    Raises ``ValueError`` when an employee row's metric has no known aggregation: guessing
    one would silently publish a wrong number.
    """
    rows, metrics = (
        conform(observations, OBSERVATIONS_SCHEMA),
        conform(metrics, AGGREGATIONS_SCHEMA).collect(),
    )
    official = rows.filter(pl.col("employee_id").is_null()).select(
        *KEYS,
        official=pl.lit(True),
        official_value=pl.col("value"),
        official_numerator=pl.col("numerator"),
        official_denominator=pl.col("denominator"),
    )
    derived = _derived(rows.filter(pl.col("employee_id").is_not_null()), metrics).lazy()
    is_official = pl.col("official").fill_null(False)
    return (
        official.join(derived, on=KEYS, how="full", coalesce=True)
        .select(
            *KEYS,
            value=pl.when(is_official).then("official_value").otherwise("derived_value"),
            numerator=pl.when(is_official).then("official_numerator").otherwise("derived_numerator"),
            denominator=pl.when(is_official).then("official_denominator").otherwise("derived_denominator"),
            source=pl.when(is_official)
            .then(pl.lit(ValueSource.OFFICIAL.value))
            .otherwise(pl.lit(ValueSource.DERIVED.value)),
            contributors=pl.when(is_official)
            .then(pl.col("employee_rows").fill_null(0))
            .otherwise("derived_contributors"),
        )
        .filter(pl.col("value").is_finite())  # also drops null: a value that cannot be computed
        .cast(dict(SCHEMA))
        .sort(KEYS)
        .collect()
    )


def _derived(employee_rows: pl.LazyFrame, metrics: pl.DataFrame) -> pl.DataFrame:
    """Per partition: the employee-derived value, its parts, and how many rows stand behind.

    The rows are grouped first and the metric's aggregation looked up per group after: a
    string joined onto every row would cost more than the grouping itself."""
    has_parts = pl.col("numerator").is_not_null() & pl.col("denominator").is_not_null()
    as_ratio = (pl.col("aggregation") == Aggregation.RATIO.value) & (pl.col("pairs") > 0)
    groups = (
        employee_rows.group_by(KEYS)
        .agg(
            employee_rows=pl.len().cast(pl.Int64),
            values=pl.col("value").count().cast(pl.Int64),
            mean=pl.col("value").mean(),
            total=pl.col("value").sum(),
            pairs=has_parts.sum().cast(pl.Int64),
            numerator_sum=pl.col("numerator").filter(has_parts).sum(),
            denominator_sum=pl.col("denominator").filter(has_parts).sum(),
        )
        .join(metrics.lazy(), on="metric_id", how="left")
        .collect()
    )
    _check_aggregations(groups)
    return groups.select(
        *KEYS,
        "employee_rows",
        derived_value=pl.when(as_ratio)
        .then(pl.col("numerator_sum") / pl.col("denominator_sum"))
        .when(pl.col("aggregation") == Aggregation.SUM.value)
        .then("total")
        .otherwise("mean"),
        derived_numerator=pl.when(as_ratio).then("numerator_sum"),
        derived_denominator=pl.when(as_ratio).then("denominator_sum"),
        derived_contributors=pl.when(as_ratio).then("pairs").otherwise("values"),
    )


def _check_aggregations(groups: pl.DataFrame) -> None:
    """Refuse employee rows whose metric has no known aggregation (``groups``: their partitions)."""
    known = pl.col("aggregation").is_in([member.value for member in Aggregation]).fill_null(False)
    unknown = groups.filter(~known).get_column("metric_id").unique().sort()
    if not unknown.is_empty():
        raise ValueError(f"no known aggregation for metric id(s) {unknown.to_list()}")
