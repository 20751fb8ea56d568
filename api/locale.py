"""Which language a request's generated texts come in: the ``locale`` argument, else the
``Accept-Language`` header, else the ``SALON_LOCALE`` setting."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.errors import InvalidArgument
from domain.settings import LOCALES


def from_header(header: str | None) -> str | None:
    """The first supported language in an ``Accept-Language`` header, by quality."""
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
    for _, _, tag in sorted(ranked):
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return None


def choose(argument: str | None, header_locale: str | None, default: str) -> str:
    if argument is not None:
        if argument not in LOCALES:
            raise InvalidArgument(
                f"locale: unsupported locale {argument!r} (use one of {', '.join(LOCALES)})"
            )
        return argument
    return header_locale or default


LOCALE_ARGUMENT = Annotated[
    str | None,
    strawberry.argument(
        description="The language of texts (zh-CN, en, …); the request's Accept-Language, then the server's "
        "default, when omitted."
    ),
]
