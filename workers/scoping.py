"""One way to say "the rows of this scope" for every table the recompute reads or replaces."""

from __future__ import annotations

from sqlalchemy import ColumnElement, true
from sqlmodel import col


def within(
    model,
    *,
    metric_ids: list[int] | None = None,
    department_ids: list[int] | None = None,
    periods: list[str] | None = None,
) -> ColumnElement[bool]:
    """A parametrised condition on ``model``'s metric_id / department_id / period columns;
    ``None`` on an axis (or a table without that column) means all of it."""
    condition: ColumnElement[bool] = true()
    for name, allowed in (("metric_id", metric_ids), ("department_id", department_ids), ("period", periods)):
        if allowed is not None and hasattr(model, name):
            condition = condition & col(getattr(model, name)).in_(allowed)
    return condition
