"""``Query.locales`` and the ``Locale`` enum: every shipped language once, with its enum value,
its name in itself and in the request's language (CLDR, through Babel); the ``locale`` String
arguments keep taking the codes, and say which."""

from __future__ import annotations

from babel import Locale as BabelLocale

from domain.locales import LOCALES
from tests.api.conftest import graphql

LOCALES_QUERY = "{ locales { code locale nativeName name current } }"
ENUM = '{ __type(name: "Locale") { enumValues { name description } } }'
ARGUMENTS = '{ __type(name: "Query") { fields { name args { name type { name } description } } } }'


def test_every_shipped_language_once_with_its_enum_and_names(client):
    response = client.post(
        "/graphql", json={"query": LOCALES_QUERY}, headers={"Accept-Language": "ja-JP,ja;q=0.9"}
    )
    locales = response.json()["data"]["locales"]

    assert [entry["code"] for entry in locales] == list(LOCALES)
    assert [entry["locale"] for entry in locales] == [code.upper().replace("-", "_") for code in LOCALES]
    assert [entry["code"] for entry in locales if entry["current"]] == ["ja"]
    by_code = {entry["code"]: entry for entry in locales}
    assert by_code["zh-TW"]["nativeName"] == BabelLocale.parse("zh_TW").get_display_name("zh_TW")
    assert by_code["de"]["nativeName"] == "Deutsch" and by_code["de"]["name"] == "ドイツ語"
    assert by_code["ja"]["name"] == by_code["ja"]["nativeName"] == "日本語"


def test_the_enum_names_each_code_and_the_string_arguments_list_them(client):
    values = graphql(client, ENUM)["data"]["__type"]["enumValues"]
    described = {v["name"]: v["description"] for v in values}
    assert len(described) == len(LOCALES)
    for code in LOCALES:
        assert described[code.upper().replace("-", "_")].startswith(f"`{code}`: ")

    fields = graphql(client, ARGUMENTS)["data"]["__type"]["fields"]
    locale_arguments = [a for f in fields for a in f["args"] if a["name"] == "locale"]
    assert len(locale_arguments) >= 4  # salons, salon, topics, salonFormats, …
    for argument in locale_arguments:
        assert argument["type"]["name"] == "String"  # unchanged: clients send `$locale: String`
        assert all(code in argument["description"] for code in LOCALES)


def test_a_code_the_enum_lacks_is_refused_naming_the_codes(client):
    result = graphql(client, '{ salonFormats(locale: "xx") { key } }')
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "unsupported locale 'xx'" in result["errors"][0]["message"]
    assert all(code in result["errors"][0]["message"] for code in LOCALES)
