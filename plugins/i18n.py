"""Every text the product generates comes from gettext catalogs, one per shipped locale.

Messages are declared in English with a key (``plugins/messages.py``); translations live in
``plugins/locale/<locale>/LC_MESSAGES/salon.po`` (Babel: ``make catalogs`` extracts, updates and
compiles). A compiled ``.mo`` is used when it is at least as new as its ``.po``; otherwise the
``.po`` is compiled in memory, so a fresh clone speaks every language before any build step.

Plugins use the same machinery for their own texts: ``Catalogs(directory, domain)`` over their
own ``.po`` files, then ``catalogs.text(key, locale, **values)``.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping, Sequence
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_symbol
from babel.units import format_unit, get_unit_name

from domain.locales import LOCALES  # the shipped locales: planning stores texts in each (a public name)
from plugins.messages import MESSAGES

Text = str | Mapping[str, str]  # one text, or one per locale: {"zh-CN": ..., "en": ...}


def localised(text: Text, locale: str) -> str:
    """Pick ``locale``'s text from a per-locale mapping (English, then any, as fallbacks)."""
    if isinstance(text, str):
        return text
    for candidate in (locale, "en", *text.keys()):
        if candidate in text:
            return text[candidate]
    return ""


LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "salon"


def folder(locale: str) -> str:
    """The gettext folder name of a locale tag (``pt-BR`` → ``pt_BR``)."""
    return locale.replace("-", "_")


class Catalogs:
    """The translations of one gettext domain under ``directory``, one per locale."""

    def __init__(self, directory: Path, domain: str) -> None:
        self.directory, self.domain = Path(directory), domain

    def files(self, locale: str) -> tuple[Path, Path]:
        base = self.directory / folder(locale) / "LC_MESSAGES" / self.domain
        return base.with_suffix(".po"), base.with_suffix(".mo")

    @cache  # noqa: B019  (a handful of catalogs for the life of the process)
    def translations(self, locale: str) -> gettext.NullTranslations:
        po, mo = self.files(locale)
        if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as stream:
                return gettext.GNUTranslations(stream)
        if not po.exists():
            return gettext.NullTranslations()
        with po.open("rb") as stream:
            catalog = read_po(stream, locale=folder(locale))
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        return gettext.GNUTranslations(compiled)

    def text(self, key: str, locale: str, english: str, **values: object) -> str:
        """``english`` (the message id under ``key``) in ``locale``, placeholders filled."""
        return self.translations(locale).pgettext(key, english).format(**values)

    def plural(self, key: str, locale: str, singular: str, plural: str, n: int, **values: object) -> str:
        """The form of the message for ``n`` by the locale's plural rule; ``{n}`` is filled too."""
        return self.translations(locale).npgettext(key, singular, plural, n).format(**{"n": n, **values})


PRODUCT = Catalogs(LOCALE_DIR, DOMAIN)


def translate(key: str, locale: str, **values: object) -> str:
    """The product's text for ``key`` in ``locale`` (English where a catalog lacks it); a message
    with plural forms takes the form for its ``count`` value by the locale's plural rule."""
    return translated(MESSAGES, key, locale, values)


def translated(
    messages: Mapping[str, str | tuple[str, str]], key: str, locale: str, values: Mapping[str, object]
) -> str:
    """:func:`translate` for a message declared in ``messages`` (one of the product's message
    modules that ``babel.cfg`` names: the formats', the reports', the notifications')."""
    english = messages[key]
    values = dict(values)
    if isinstance(english, tuple):
        count = values.pop("count")
        return PRODUCT.plural(key, locale, *english, int(count), count=count, **values)
    return PRODUCT.text(key, locale, english, **values)


__all__ = [
    "LOCALES",
    "MESSAGES",
    "PRODUCT",
    "Catalogs",
    "Text",
    "babel_locale",
    "decimal",
    "localised",
    "measure",
    "percent",
    "translate",
    "translated",
    "unit_name",
]


def babel_locale(locale: str) -> str:
    """Babel's name of a locale tag, for CLDR number and date formats (``pt-BR`` → ``pt_BR``)."""
    return folder(locale)


@cache
def _percent_pattern(locale: str, digits: int, signed: bool) -> str:
    """The locale's own percent pattern (``#,##0 %`` in German) with ``digits`` decimals and,
    when ``signed``, a plus sign for gains."""
    pattern = Locale.parse(babel_locale(locale)).percent_formats[None].pattern.split(";")[0]
    if digits:
        pattern = re.sub(r"0(?!.*0)", "0." + "0" * digits, pattern)
    return f"+{pattern};-{pattern}" if signed else pattern


def percent(value: float, locale: str, digits: int = 1, signed: bool = False) -> str:
    """A fraction as people in ``locale`` write a percentage (CLDR): ``0.149`` → ``14.9%``,
    ``14,9 %`` in German; ``signed`` shows ``+`` on a gain (a change)."""
    return format_percent(value, _percent_pattern(locale, digits, signed), locale=babel_locale(locale))


# units as the metrics template writes them → CLDR units, said in the reader's language
CLDR_UNITS = {
    "小时": "duration-hour", "h": "duration-hour", "hour": "duration-hour", "hours": "duration-hour",
    "分钟": "duration-minute", "min": "duration-minute", "minutes": "duration-minute",
    "天": "duration-day", "d": "duration-day", "day": "duration-day", "days": "duration-day",
}  # fmt: skip
CURRENCIES = {"元": "CNY", "CNY": "CNY", "¥": "CNY", "RMB": "CNY"}


def measure(value: float, unit: str, locale: str, digits: int = 2) -> str:
    """A figure with its unit as the locale writes it: a known unit in the reader's words
    (CLDR: ``26.29 hr``, ``26.29小时``, ``26,29 Std.``), any other one after the figure."""
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    if unit in CURRENCIES:  # money the locale's way: ¥291.24, CN¥291.24, 291,24 CN¥
        return format_currency(value, CURRENCIES[unit], locale=babel_locale(locale), currency_digits=False,
                               format_type="standard")  # fmt: skip
    if unit in CLDR_UNITS:
        return format_unit(value, CLDR_UNITS[unit], "short", pattern, babel_locale(locale))
    text = decimal(value, locale, digits)
    return f"{text} {unit}" if unit else text


def unit_name(unit: str, locale: str) -> str:
    """A metric's unit as a reader of ``locale`` names it beside a figure's name (an axis title):
    a CLDR unit's display name (``小时``, ``hours``, ``Std.``), a currency's symbol (``¥``,
    ``CN¥``), any other unit as imported; nothing for ``%`` (its axes say percent themselves)."""
    if not unit or unit == "%":
        return ""
    if unit in CURRENCIES:
        return get_currency_symbol(CURRENCIES[unit], babel_locale(locale))
    if unit in CLDR_UNITS:
        return get_unit_name(CLDR_UNITS[unit], length="short", locale=babel_locale(locale)) or unit
    return unit


def decimal(value: float, locale: str, digits: int = 2) -> str:
    """A figure grouped and with up to ``digits`` decimals as the locale writes it (CLDR)."""
    return format_decimal(value, "#,##0." + "#" * digits if digits else "#,##0", locale=babel_locale(locale))


def listing(items: Sequence[str], locale: str) -> str:
    """Items joined as the locale writes a list in a sentence (CLDR): ``A, B, and C``, ``A、B和C``."""
    return format_list(list(items), locale=babel_locale(locale)) if items else ""
