"""The twelve shipped languages as an enum, for clients that generate types: the ``locale``
arguments stay ``String`` (clients send ``$locale: String``), and say which values they take."""

from __future__ import annotations

from enum import Enum

import strawberry
from babel import Locale as BabelLocale


@strawberry.enum(
    description="A language EHR Salon ships its texts in; its value's code (`zh-CN`, `pt-BR`) is what the "
    "`locale` arguments take."
)
class Locale(Enum):
    ZH_CN = strawberry.enum_value("zh-CN", description="`zh-CN`: Simplified Chinese (简体中文).")
    ZH_TW = strawberry.enum_value("zh-TW", description="`zh-TW`: Traditional Chinese (繁體中文).")
    EN = strawberry.enum_value("en", description="`en`: English.")
    JA = strawberry.enum_value("ja", description="`ja`: Japanese (日本語).")
    KO = strawberry.enum_value("ko", description="`ko`: Korean (한국어).")
    DE = strawberry.enum_value("de", description="`de`: German (Deutsch).")
    FR = strawberry.enum_value("fr", description="`fr`: French (français).")
    ES = strawberry.enum_value("es", description="`es`: Spanish (español).")
    PT_BR = strawberry.enum_value("pt-BR", description="`pt-BR`: Brazilian Portuguese (português do Brasil).")
    RU = strawberry.enum_value("ru", description="`ru`: Russian (русский).")
    VI = strawberry.enum_value("vi", description="`vi`: Vietnamese (Tiếng Việt).")
    TH = strawberry.enum_value("th", description="`th`: Thai (ไทย).")


def babel_locale(code: str) -> BabelLocale:
    return BabelLocale.parse(code.replace("-", "_"))


@strawberry.type(description="A shipped language: its code, its enum, and its name as people read it.")
class LocaleInfo:
    code: str = strawberry.field(description="The code the `locale` arguments take (`zh-CN`, `en`, `pt-BR`).")
    locale: Locale = strawberry.field(description="The same language as an enum.")
    native_name: str = strawberry.field(
        description="Its name in itself, from CLDR (Babel): 中文 (简体, 中国), English, português (Brasil)."
    )
    name: str = strawberry.field(description="Its name in the request's language, from CLDR (Babel).")
    current: bool = strawberry.field(
        description="Whether it is the language of this request's texts (`Accept-Language`, then the server's "
        "default)."
    )

    @classmethod
    def of(cls, code: str, request_locale: str) -> LocaleInfo:
        itself = babel_locale(code)
        return cls(
            code=code,
            locale=Locale(code),
            native_name=itself.get_display_name(itself) or code,
            name=itself.get_display_name(babel_locale(request_locale)) or code,
            current=code == request_locale,
        )
