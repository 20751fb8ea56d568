"""A language people ask for is matched to one of the twelve shipped, as CLDR relates them."""

from __future__ import annotations

import pytest

from domain.locales import LOCALES, negotiate


def test_the_twelve_shipped_locales():
    assert LOCALES == ("zh-CN", "zh-TW", "en", "ja", "ko", "de", "fr", "es", "pt-BR", "ru", "vi", "th")


@pytest.mark.parametrize(
    ("asked", "matched"),
    [
        ("zh-Hant-TW", "zh-TW"),
        ("zh-HK", "zh-TW"),  # Hong Kong writes traditional characters
        ("zh-Hant", "zh-TW"),
        ("zh", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("zh-SG", "zh-CN"),  # Singapore writes simplified characters
        ("zh_cn", "zh-CN"),
        ("en-US", "en"),
        ("EN-gb", "en"),
        ("pt", "pt-BR"),
        ("pt-PT", "pt-BR"),
        ("es-MX", "es"),
        ("de-AT", "de"),
        ("ja-JP", "ja"),
        ("th", "th"),
    ],
)
def test_a_tag_is_matched_by_language_script_and_region(asked, matched):
    assert negotiate([asked]) == matched


@pytest.mark.parametrize("asked", ["xx", "", "sr-Cyrl", "not a tag", "nl"])
def test_a_language_not_shipped_matches_nothing(asked):
    assert negotiate([asked]) is None


def test_the_first_preferred_language_that_matches_wins():
    assert negotiate(["nl-NL", "fr-CA", "en"]) == "fr"
    assert negotiate(["en"], available=["zh-CN"]) is None
