"""Which partitions (metric × department × period) an applied import touched.

A recomputation covers only these; ``None`` on an axis means "all" (a new employee or a
changed metric definition can move every period of a department or metric). Labels are only
read by people: they touch nothing to recompute.
"""

from __future__ import annotations

import polars as pl

from domain.importing.references import References
from domain.importing.templates import ImportKind
from domain.periods import Period

# The columns of changed rows that ``touched`` reads, per kind (kept per batch, so: few).
INPUTS: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.DEPARTMENTS: ("code",),
    ImportKind.METRICS: ("code",),
    ImportKind.EMPLOYEES: ("department_code",),
    ImportKind.TARGETS: ("metric_code", "department_code", "period"),
    ImportKind.OBSERVATIONS: ("metric_code", "department_code", "period"),
    ImportKind.FEEDBACK: ("department_code", "period"),
    ImportKind.REVIEWS: ("employee_ref",),
    ImportKind.GROWTH: ("employee_ref",),
    ImportKind.LABELS: ("kind",),
}


def _values(frame: pl.DataFrame, column: str) -> list[str]:
    return sorted(frame.get_column(column).drop_nulls().unique().to_list())


def _employee_departments(changed: pl.DataFrame, references: References) -> list[str]:
    codes = references.departments.select("department_id", "code")
    return _values(
        changed.select("employee_ref")
        .join(references.employees.select("employee_ref", "department_id"), on="employee_ref")
        .join(codes, on="department_id"),
        "code",
    )


def touched(
    kind: ImportKind, changed: pl.DataFrame, references: References
) -> dict[str, list[str] | None] | None:
    """The partitions to recompute after ``changed`` rows of ``kind``; None: none."""
    if kind is ImportKind.LABELS:
        return None
    everything: dict[str, list[str] | None] = {
        "metric_codes": None,
        "department_codes": None,
        "periods": None,
    }
    if kind is ImportKind.DEPARTMENTS:
        return everything | {"department_codes": _values(changed, "code")}
    if kind is ImportKind.METRICS:
        return everything | {"metric_codes": _values(changed, "code")}
    if kind is ImportKind.EMPLOYEES:
        return everything | {"department_codes": _values(changed, "department_code")}
    if kind in (ImportKind.TARGETS, ImportKind.OBSERVATIONS):
        periods = _values(changed, "period")
        if kind is ImportKind.TARGETS:  # a quarter's target concerns its months
            periods = sorted({str(month) for p in periods for month in Period.parse(p).months()})
        return {
            "metric_codes": _values(changed, "metric_code"),
            "department_codes": _values(changed, "department_code"),
            "periods": periods,
        }
    if kind is ImportKind.FEEDBACK:
        return everything | {
            "department_codes": _values(changed, "department_code"),
            "periods": _values(changed, "period"),
        }
    return everything | {"department_codes": _employee_departments(changed, references)}  # reviews, growth
