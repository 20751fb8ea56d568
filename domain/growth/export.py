"""``salon export bonuses``: each person's appraisal bonus of a cycle, as an EHR's appraisal
import takes it — one row per person with points: employee id, cycle, points, and the reasons in
words (which salon contributions, and the cap when it applied).

The headers are the import templates' English ones (``domain.importing.templates`` style), so the
file reads back through our own importer's reader like any HR export; the reasons are in the
deployment's language (``SALON_LOCALE``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import polars as pl

from domain.growth.bonus import Bonus
from domain.importing.templates import Column, ValueType

FORMATS = ("csv", "xlsx")
COLUMNS = (
    Column("employee_id", "员工编号", ValueType.TEXT, True),
    Column("cycle", "考核周期", ValueType.TEXT, True),
    Column("points", "加分", ValueType.NUMBER, True),
    Column("reasons", "加分事由"),
)
SCHEMA = pl.Schema({"employee_id": pl.String, "cycle": pl.String, "points": pl.Float64, "reasons": pl.String})

KIND_NAMES = {
    "attendee": {"zh-CN": "参会者", "en": "attendee"},
    "sharer": {"zh-CN": "分享者", "en": "sharer"},
    "excellent_sharer": {"zh-CN": "优秀分享者", "en": "excellent sharer"},
    "problem_solver": {"zh-CN": "问题解决者", "en": "problem solver"},
}
TEXTS = {
    "reason": {"zh-CN": "{month}沙龙{kind} +{points}", "en": "{month} salon {kind} +{points}"},
    "cap": {"zh-CN": "共{earned}分，按上限计{points}分", "en": "{earned} in all, capped at {points}"},
    "separator": {"zh-CN": "；", "en": "; "},
}


def _number(value: float) -> str:
    return f"{value:g}"


def reasons(bonus: Bonus, locale: str) -> str:
    """The contributions that earned points, in ``locale``, and the cap if it applied."""
    said = [
        TEXTS["reason"][locale].format(
            month=c.salon_month or c.date.strftime("%Y-%m"),
            kind=KIND_NAMES[c.kind][locale],
            points=_number(c.points),
        )
        for c in bonus.contributions
        if c.points > 0
    ]
    if bonus.capped:
        said.append(TEXTS["cap"][locale].format(earned=_number(bonus.earned), points=_number(bonus.points)))
    return TEXTS["separator"][locale].join(said)


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
