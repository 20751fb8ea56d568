"""``Query.locales``: the shipped languages a client may ask texts in, with the ``Locale`` enum
and their names (CLDR, through Babel)."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.types.locale import LocaleInfo
from domain.locales import LOCALES


@strawberry.type
class LocaleQuery:
    @strawberry.field(
        description="Every shipped language, in the order of the `Locale` enum: what the `locale` arguments take."
    )
    def locales(self, info: Info) -> list[LocaleInfo]:
        current = info.context.locale()
        return [LocaleInfo.of(code, current) for code in LOCALES]
