"""Keep erased people erased: an EHR export still carries their name, email and text.

Runs between validation and classification, so a re-import compares the withheld values with
what erasure stored and shows the person as unchanged. Only personal fields are touched;
departments, dates, scores, KPI values and theme tags import as usual, so aggregates stay right.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, select

from domain.importing.templates import ImportKind
from domain.models import Employee
from domain.privacy import ERASED_TEXT

WITHHELD_WARNING = "{count} row(s) belong to erased people: their personal fields were not imported"


@dataclass(frozen=True)
class Withheld:
    valid: pl.DataFrame
    rows: int  # rows whose personal fields were replaced


def erased_people(connection: Connection) -> pl.DataFrame:
    """employee_id, employee_ref and the stored pseudonym of every erased employee."""
    table = Employee.__table__
    rows = connection.execute(
        select(table.c.employee_id, table.c.id, table.c.name).where(table.c.erased_at.is_not(None))
    ).all()
    schema = {"employee_id": pl.String, "employee_ref": pl.Int64, "_pseudonym": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")


# kind → (column naming the person, {column: what erasure stored instead}).
PERSONAL: dict[ImportKind, tuple[str, dict[str, pl.Expr]]] = {
    ImportKind.EMPLOYEES: (
        "employee_id",
        {"name": pl.col("_pseudonym"), "email": pl.lit(None, dtype=pl.String)},
    ),
    ImportKind.FEEDBACK: ("employee_ref", {"text": pl.lit(ERASED_TEXT, dtype=pl.String)}),
    ImportKind.GROWTH: ("employee_ref", {"note": pl.lit(None, dtype=pl.String)}),  # erasure clears notes
}


def withhold(kind: ImportKind, valid: pl.DataFrame, erased: pl.DataFrame) -> Withheld:
    """``valid`` with the personal fields of erased people replaced by what erasure stored."""
    if kind not in PERSONAL or erased.is_empty() or valid.is_empty():
        return Withheld(valid, 0)
    person, fields = PERSONAL[kind]
    hit = pl.col(person).is_in(erased.get_column(person).implode())
    rows = valid.select(hit.sum()).item()
    if not rows:
        return Withheld(valid, 0)
    marked = valid.join(erased.select(person, "_pseudonym"), on=person, how="left")
    replaced = [
        pl.when(hit).then(value).otherwise(pl.col(name)).alias(name) for name, value in fields.items()
    ]
    return Withheld(marked.with_columns(replaced).select(valid.columns), rows)
