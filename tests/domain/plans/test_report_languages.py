"""The reports in all twelve languages: each in its own words (no English fallback), counts by the
language's plural rule, and every sentence about a target or a change direction-aware in each."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from domain.db import make_engine
from domain.locales import LOCALES
from domain.plans.messages import MESSAGES, say
from domain.plans.report import department_report, plan_report
from tests.domain.plans.cases import Cases, seed_cases
from workers.rebuild import rebuild

SCRIPTS = {  # a letter each language writes and English does not
    "ja": r"[\u3040-\u30ff]",  # kana
    "ru": r"[\u0400-\u04ff]",  # Cyrillic
    "th": r"[\u0e00-\u0e7f]",  # Thai
    "de": r"\b(Ziel|Ausgangswert|Abteilung|Bericht|Plan|Monat|Obergrenze|Nennungen)\b",
}


def english_phrases() -> set[str]:
    """Every run of two or more words of the English messages, between their placeholders."""
    found = set()
    for english in MESSAGES.values():
        for form in (english,) if isinstance(english, str) else english:
            for part in re.split(r"\{\w+\}", form):
                words = part.strip(" .,;:()")
                if len(words.split()) >= 2:
                    found.add(words)
    return found


@pytest.fixture(scope="module")
def cases(sqlite_file, tmp_path_factory) -> Iterator[tuple[Session, Cases]]:
    """The hand-computed cases with English names: only the sentences can be in another language."""
    path = tmp_path_factory.mktemp("languages") / "salon.db"
    shutil.copy(sqlite_file, path)
    engine = make_engine(f"sqlite:///{path}")
    found = seed_cases(engine, "en")
    rebuild(engine)
    with Session(engine) as session:
        yield session, found
    engine.dispose()


@pytest.mark.parametrize("locale", ["ja", "ru", "de", "th"])
def test_a_plan_report_and_a_department_report_are_in_the_readers_language(cases, locale):
    session, found = cases
    texts = [
        plan_report(session, found.plans["pick"], locale),
        plan_report(session, found.plans["output"], locale),
        department_report(session, found.departments["W10"], "2026-11", locale),
    ]

    for text in texts:
        for line in text.splitlines():
            assert re.search(SCRIPTS[locale], line), (locale, line)
        leaked = [phrase for phrase in english_phrases() if phrase in text]
        assert leaked == [], f"English in the {locale} report: {leaked}"


def test_german_numbers_are_written_the_german_way(cases):
    session, found = cases

    said = department_report(session, found.departments["W10"], "2026-11", "de")

    assert "um 12\u00a0% gesunken" in said and "0,088" in said  # CLDR: a space before %, a decimal comma


@pytest.mark.parametrize(
    ("count", "months", "mentions"),
    [(1, "месяц", "упоминания"), (2, "месяца", "упоминаний"), (5, "месяцев", "упоминаний")],
)
def test_russian_counts_follow_its_plural_rule(count, months, mentions):
    later = say("effect.later", "ru", count=count, metric="X", moved="вырос на 5%")
    causes = say("causes", "ru", count=count, items="A 50%")

    assert later == f"Через {count} {months} показатель «X» вырос на 5% относительно базового уровня"
    assert causes.endswith(f"(из {count} {mentions}).")


def test_a_single_comparison_department_is_said_in_the_singular():
    one = say("effect.compared", "en", count=1, headline="H", comparison="up 5%", net="2 pp better")
    two = say("effect.compared", "en", count=2, headline="H", comparison="up 5%", net="2 pp better")

    assert "the one department without a plan moved up 5% over" in one
    assert "the 2 departments without a plan moved up 5% on average over" in two


def reads(template: str, text: str) -> bool:
    """``text`` holds every fixed part of ``template`` (its placeholder written as ``\0``)."""
    return all(part.strip() in text for part in template.split("\0") if part.strip())


@pytest.mark.parametrize("locale", LOCALES)
def test_both_metric_directions_read_correctly_in_every_language(cases, locale):
    """Lower is better: above the target is the gap ("above its ceiling"), a fall is the goal's way;
    higher is better: the opposite. The two never read alike."""
    session, found = cases
    below = say("gap.below_target.higher", locale, target="\0")
    above = say("gap.below_target.lower", locale, target="\0")
    right_down, wrong_down = (
        say("moved.down", locale, amount="\0"),
        say("moved.down.wrong_way", locale, amount="\0"),
    )
    right_up, wrong_up = say("moved.up", locale, amount="\0"), say("moved.up.wrong_way", locale, amount="\0")

    assert len({below, above}) == 2 and len({right_down, wrong_down, right_up, wrong_up}) == 4
    # pick errors: lower is better
    lower = department_report(session, found.departments["W10"], "2026-11", locale)
    assert reads(above, lower) and not reads(below, lower)
    # the plan brought pick errors down: the goal's way, not "the wrong way"
    assert reads(right_down, lower) and not reads(wrong_down, lower)
    higher = plan_report(session, found.plans["output"], locale)  # output: higher is better, up 25%
    assert reads(right_up, higher) and not reads(wrong_up, higher)
    if locale == "en":
        assert "above its ceiling of 0.08" in lower and "below its target" not in lower


@pytest.mark.parametrize(
    ("locale", "rate", "hours"),
    [
        ("en", "14.9%", "1,016 hr"),
        ("de", "14,9\u00a0%", "1.016 Std."),
        ("zh-CN", "14.9%", "1,016小时"),
        ("ru", "14,9\u00a0%", "1\u00a0016 ч"),
    ],
)
def test_a_percent_metric_reads_as_a_percentage_and_hours_in_the_readers_words(locale, rate, hours):
    """A ``%`` metric holds fractions: 0.149 is 14.9%, never "0.149%" (CLDR through Babel)."""
    from domain.plans.report import Voice

    assert Voice(locale).number(0.149, "%") == rate
    assert Voice(locale).number(1016, "小时") == hours
