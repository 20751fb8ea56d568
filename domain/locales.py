"""The twelve languages EHR Salon ships, and matching a language people ask for to one of them.

Tags are matched as CLDR sees languages (through Babel): each is filled out with its likely
script and region, then matched on language, script and region, else language and script, else
language. So ``zh-Hant-TW``, ``zh-HK`` and ``zh-Hant`` are traditional Chinese (``zh-TW``),
``zh``, ``zh-Hans`` and ``zh-SG`` simplified (``zh-CN``), ``pt-PT`` is closest to ``pt-BR``, and
``en-GB`` is ``en``; ``_`` and ``-`` and any letter case are accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from babel import Locale
from babel.core import UnknownLocaleError, get_global

LOCALES = ("zh-CN", "zh-TW", "en", "ja", "ko", "de", "fr", "es", "pt-BR", "ru", "vi", "th")

Subtags = tuple[str, str | None, str | None]  # language, script, territory


def _parse(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag.strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


@cache
def _maximised(tag: str) -> Subtags | None:
    """``tag``'s language with its likely script and territory (CLDR's likely subtags)."""
    locale = _parse(tag)
    if locale is None:
        return None
    language, script, territory = locale.language, locale.script, locale.territory
    likely = get_global("likely_subtags")
    for key in filter(None, (f"{language}_{script}" if script else None,
                             f"{language}_{territory}" if territory else None, language)):  # fmt: skip
        if key in likely:
            full = _parse(likely[key])
            if full is not None:
                return language, script or full.script, territory or full.territory
    return language, script, territory


def negotiate(preferred: Iterable[str], available: Iterable[str] = LOCALES) -> str | None:
    """The first of ``available`` that matches a tag of ``preferred`` (best first); None if none
    does."""
    candidates = [(tag, _maximised(tag)) for tag in available]
    for wanted in map(_maximised, preferred):
        if wanted is None:
            continue
        for width in (3, 2, 1):  # language+script+territory, language+script, language
            for tag, subtags in candidates:
                if subtags is not None and subtags[:width] == wanted[:width]:
                    return tag
    return None
