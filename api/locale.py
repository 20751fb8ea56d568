"""Which language a request's generated texts come in: the ``locale`` argument, else the
``Accept-Language`` header, else the ``SALON_LOCALE`` setting."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.errors import InvalidArgument
from domain.locales import LOCALES, negotiate


def from_header(header: str | None) -> str | None:
    """The shipped language that best matches an ``Accept-Language`` header, by quality (a
    language refused with ``q=0`` is never chosen)."""
    if not header:
        return None
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()))
    wanted = [tag for quality, _, tag in sorted(ranked) if quality < 0 and tag != "*"]
    return negotiate(wanted)  # CLDR's likely subtags: zh-HK reads zh-TW, pt-PT pt-BR


def choose(argument: str | None, header_locale: str | None, default: str) -> str:
    if argument is not None:
        if argument not in LOCALES:
            raise InvalidArgument(
                f"locale: unsupported locale {argument!r} (use one of {', '.join(LOCALES)})"
            )
        return argument
    return header_locale or default


LOCALE_VALUES = ", ".join(LOCALES)
LOCALE_ARGUMENT = Annotated[
    str | None,
    strawberry.argument(
        description=f"The language of texts, one of {LOCALE_VALUES} (the values of the `Locale` enum, listed by "
        "`Query.locales`); the request's Accept-Language, then the server's default, when omitted."
    ),
]
