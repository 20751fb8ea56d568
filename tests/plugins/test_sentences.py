"""What people read: a gap said the right way round for lower-is-better metrics in every
language, and numbers written as people in each language write them (CLDR through Babel)."""

from __future__ import annotations

import pytest

from domain.locales import LOCALES
from domain.salons.topics import topic_title
from plugins.context import Context
from plugins.testing.builders import sample_company, topic

# OPS in the sample company: "score" (higher is better) at 60 against a target of 80, and
# "late" (%, lower is better) at 0.12 against a ceiling of 0.10 — both are shortfalls.
SAID = {  # locale: (words for "below target" on higher-is-better, "above the ceiling" on lower)
    "zh-CN": ("低于目标", "高于上限"),
    "zh-TW": ("低於目標", "高於上限"),
    "en": ("below target", "above its ceiling"),
    "ja": ("目標を下回る", "上限を上回る"),
    "ko": ("목표 미달", "상한 초과"),
    "de": ("unter dem Ziel", "über der Obergrenze"),
    "fr": ("sous l’objectif", "au-dessus du plafond"),
    "es": ("por debajo del objetivo", "por encima del límite"),
    "pt-BR": ("abaixo da meta", "acima do limite"),
    "ru": ("ниже цели", "выше допустимого предела"),
    "vi": ("dưới mục tiêu", "vượt ngưỡng tối đa"),
    "th": ("ต่ำกว่าเป้า", "สูงกว่าเพดาน"),
}


def test_every_locale_has_its_words():
    assert sorted(SAID) == sorted(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_shortfall_is_said_the_right_way_round_in_each_direction(locale):
    facts = sample_company()
    context = Context(facts, "OPS", locale)
    below, above = SAID[locale]

    higher = topic_title(topic(facts, "OPS", metric="score"), context)
    lower = topic_title(topic(facts, "OPS", metric="late"), context)

    assert below in higher and above not in higher
    assert above in lower and below not in lower
    assert "Operations" in lower and "Late deliveries" in lower


def test_the_english_and_chinese_titles_in_full():
    facts = sample_company()
    late = topic(facts, "OPS", metric="late")
    assert topic_title(late, Context(facts, "OPS", "en")) == (
        "Operations: Late deliveries above its ceiling (12.0% against 10.0%)"
    )
    assert topic_title(late, Context(facts, "OPS", "zh-CN")) == (
        "Operations：Late deliveries高于上限（12.0%，上限 10.0%）"
    )
    score = topic(facts, "OPS", metric="score")
    assert (
        topic_title(score, Context(facts, "OPS", "en"))
        == "Operations: Quality score below target (60 against 80)"
    )


@pytest.mark.parametrize(
    ("locale", "rate", "hours", "small", "big", "other"),
    [
        ("en", "14.9%", "1,016 hr", "950 hr", "1,234", "12 pcs"),
        ("zh-CN", "14.9%", "1,016小时", "950小时", "1,234", "12 pcs"),
        ("de", "14,9\xa0%", "1.016 Std.", "950 Std.", "1.234", "12 pcs"),
        ("fr", "14,9\xa0%", "1\u202f016\u202fh", "950\u202fh", "1\u202f234", "12 pcs"),
        ("ja", "14.9%", "1,016 時間", "950 時間", "1,234", "12 pcs"),
    ],
)
def test_numbers_are_written_as_the_locale_writes_them(locale, rate, hours, small, big, other):
    context = Context(sample_company(), "OPS", locale)
    assert context.number(0.149, "%") == rate  # a rate is a percentage, never 0.149
    # hours as the template writes them ("小时"), said in the reader's words, big and small alike
    assert context.number(1016.0, "小时") == hours
    assert context.number(950.0, "小时") == small
    assert context.number(1234.4) == big  # no decimals past 1,000
    assert context.number(12.0, "pcs") == other  # a unit CLDR does not know follows the figure
    assert context.number(7.25) == ("7,25" if locale in ("de", "fr") else "7.25")
    assert context.number(None) == "—"


@pytest.mark.parametrize(
    ("locale", "up", "down"),
    [
        ("en", "up 0.9 pp (+58.8%)", "down 3 pp (-30.0%)"),
        ("zh-CN", "上升 0.9 个百分点（+58.8%）", "下降 3 个百分点（-30.0%）"),
        ("de", "plus 0,9 Prozentpunkte (+58,8\xa0%)", "minus 3 Prozentpunkte (-30,0\xa0%)"),
    ],
)
def test_a_change_of_a_rate_is_said_in_percentage_points_both_ways(locale, up, down):
    context = Context(sample_company(), "OPS", locale)
    # 1.53% → 2.43%: 0.9 points, and 0.9 / 1.53 = +58.8% relative
    assert context.change(0.588, "%", 0.0153, 0.0243) == up
    # 10% → 7%: 3 points down, -30% relative
    assert context.change(-0.3, "%", 0.10, 0.07) == down
    assert context.change(-0.15) == (
        "-15,0\xa0%" if locale == "de" else "-15.0%"
    )  # not a rate: relative only
    assert (
        context.change(0.0, "%", 0.10, 0.10)
        == {"en": "unchanged", "zh-CN": "持平", "de": "unverändert"}[locale]
    )


def test_money_is_written_as_the_locale_writes_it():
    said = {
        locale: Context(sample_company(), "OPS", locale).number(291.24, "元")
        for locale in ("zh-CN", "en", "de")
    }
    assert said == {"zh-CN": "¥291.24", "en": "CN¥291.24", "de": "291,24\xa0CN¥"}
