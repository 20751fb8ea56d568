"""Which of the twelve languages a request gets: the ``locale`` argument, else the best match for
``Accept-Language`` (CLDR's likely subtags through Babel), else ``SALON_LOCALE``."""

from __future__ import annotations

import pytest

from api.locale import choose, from_header
from domain.errors import InvalidArgument


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("en-GB,en;q=0.9", "en"),
        ("zh-HK,zh;q=0.8", "zh-TW"),  # Hong Kong writes traditional Chinese
        ("zh-Hans-SG", "zh-CN"),
        ("pt-PT,en;q=0.5", "pt-BR"),
        ("de;q=0.2, ja;q=0.9", "ja"),  # by quality, not position
        ("fr;q=0, es", "es"),
        ("fr;q=0", None),  # refused outright: the setting decides
        ("nl, sv", None),  # not shipped
        ("*", None),
        ("", None),
    ],
)
def test_accept_language_is_negotiated(header, locale):
    assert from_header(header) == locale


def test_the_argument_wins_and_is_checked_then_the_header_then_the_default():
    assert choose("th", "en", "zh-CN") == "th"
    assert choose(None, "vi", "zh-CN") == "vi"
    assert choose(None, None, "ko") == "ko"
    with pytest.raises(InvalidArgument, match="unsupported locale 'xx'"):
        choose("xx", None, "zh-CN")
