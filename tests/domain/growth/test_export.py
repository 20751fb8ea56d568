"""The appraisal-bonus export's words come from the catalogs in every shipped locale, while its
headers stay the import template's machine-readable names in all of them (the EHR, and our own
reader, find the columns by those names)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.growth.bonus import Bonus, Counted
from domain.growth.export import COLUMNS, bonus_frame, reasons, render
from domain.importing.reader import read_table
from domain.importing.templates import ImportKind, Template
from domain.locales import LOCALES

CAPPED = Bonus(
    employee_id="P2",
    employee_row=2,
    cycle="2026-H2",
    points=5,
    earned=6,
    contributions=(
        Counted(
            date=date(2026, 10, 20), salon_id=1, salon_month="2026-10", kind="excellent_sharer", points=2
        ),
        Counted(date=date(2026, 10, 20), salon_id=1, salon_month="2026-10", kind="problem_solver", points=3),
        Counted(date=date(2026, 10, 20), salon_id=1, salon_month="2026-10", kind="attendee", points=0),
        Counted(date=date(2026, 12, 3), salon_id=2, salon_month=None, kind="sharer", points=1),
    ),
)
APPRAISAL = Template(ImportKind.REVIEWS, COLUMNS, key=("employee_id", "cycle"), file_names=("bonuses",))


def test_the_reasons_name_each_earning_role_and_the_cap_in_chinese_and_english():
    assert reasons(CAPPED, "zh-CN") == (
        "2026-10沙龙优秀分享者 +2；2026-10沙龙问题解决者 +3；2026-12沙龙分享者 +1；共6分，按上限计5分"
    )
    assert reasons(CAPPED, "en") == (
        "2026-10 salon excellent sharer +2; 2026-10 salon problem solver +3; 2026-12 salon sharer +1; "
        "6 in all, capped at 5"
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_says_the_reasons_in_its_own_words_with_every_figure(locale):
    said = reasons(CAPPED, locale)

    for figure in ("2026-10", "2026-12", "+2", "+3", "+1", "6", "5"):
        assert figure in said, (locale, figure, said)
    if locale != "en":
        assert "excellent sharer" not in said and "capped" not in said, (locale, said)
    assert "excellent_sharer" not in said and "problem_solver" not in said  # no code in the text


@pytest.mark.parametrize("locale", ["ja", "de", "th"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_headers_stay_the_templates_names_in_any_locale_so_the_file_reads_back(
    locale, file_format, tmp_path
):
    path = tmp_path / f"bonuses.{file_format}"
    path.write_bytes(render(bonus_frame([CAPPED], locale), file_format))

    frame = read_table(path, path.name, APPRAISAL).frame

    assert [c for c in frame.columns if c != "row"] == [c.name for c in COLUMNS]
    assert frame.drop("row").to_dicts() == [
        {"employee_id": "P2", "cycle": "2026-H2", "points": "5", "reasons": reasons(CAPPED, locale)}
    ]
