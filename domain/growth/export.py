"""``salon export bonuses``: each person's appraisal bonus of a cycle, as an EHR's appraisal
import takes it — one row per person with points: employee id, cycle, points, and the reasons in
words (which salon contributions, and the cap when it applied).

The headers are the import templates' English ones (``domain.importing.templates`` style) in
every language, so the file reads back through our own importer's reader like any HR export; the
reasons are in the deployment's language (``SALON_LOCALE``, any shipped locale), from the gettext
catalogs (``domain.growth.messages``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import polars as pl

from domain.growth.bonus import Bonus
from domain.growth.messages import say
from domain.importing.templates import Column, ValueType

FORMATS = ("csv", "xlsx")
COLUMNS = (
    Column("employee_id", "员工编号", ValueType.TEXT, True),
    Column("cycle", "考核周期", ValueType.TEXT, True),
    Column("points", "加分", ValueType.NUMBER, True),
    Column("reasons", "加分事由"),
)
SCHEMA = pl.Schema({"employee_id": pl.String, "cycle": pl.String, "points": pl.Float64, "reasons": pl.String})


def _number(value: float) -> str:
    return f"{value:g}"


def reasons(bonus: Bonus, locale: str) -> str:
    """The contributions that earned points, in ``locale``, and the cap if it applied."""
    said = [
        say(
            "reason",
            locale,
            month=c.salon_month or c.date.strftime("%Y-%m"),
            kind=say(f"kind.{c.kind}", locale),
            points=_number(c.points),
        )
        for c in bonus.contributions
        if c.points > 0
    ]
    if bonus.capped:
        said.append(say("cap", locale, earned=_number(bonus.earned), points=_number(bonus.points)))
    return say("separator", locale).join(said)


def bonus_frame(bonuses: Sequence[Bonus], locale: str) -> pl.DataFrame:
    """The rows the EHR takes: people with points in the cycle (attendance alone earns none by
    default, and a row of 0 would only be noise there), by employee id."""
    rows = [(b.employee_id, b.cycle, b.points, reasons(b, locale)) for b in bonuses if b.points > 0]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row").sort("employee_id")


def render(frame: pl.DataFrame, file_format: str) -> bytes:
    """The file's bytes: CSV in UTF-8 with a BOM (Excel then reads Chinese right), or XLSX with
    points as number cells."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}; expected one of {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    if file_format == "csv":  # points as people write them: 5, 0.5 (not 5.0)
        buffer.write("\ufeff".encode())
        frame.with_columns(pl.col("points").map_elements(_number, return_dtype=pl.String)).write_csv(buffer)
    else:
        frame.write_excel(buffer, worksheet="bonuses", autofit=True)
    return buffer.getvalue()
