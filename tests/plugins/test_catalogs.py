"""The catalogs every generated text comes from: complete, current and compiled right in all 12
locales, and the sentences they make direction-aware and written as people write numbers."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from domain.growth import messages as bonus_messages
from domain.locales import LOCALES
from domain.notifications import messages as notice_messages
from domain.plans import messages as report_messages
from plugins import messages as format_messages
from plugins.i18n import LOCALE_DIR, Catalogs, folder

ROOT = Path(__file__).resolve().parents[2]
# every module declaring messages
MODULES = (format_messages, report_messages, notice_messages, bonus_messages)
MESSAGES = {key: text for module in MODULES for key, text in module.MESSAGES.items()}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def sources() -> list[Path]:
    """The files ``pybabel extract -F babel.cfg`` reads."""
    return [ROOT / line[len("[python: ") : -1] for line in (ROOT / "babel.cfg").read_text().splitlines()
            if line.startswith("[python: ")]  # fmt: skip


def declared() -> dict[str, str]:
    """The messages as ``pybabel extract`` sees them in the sources (key → English)."""
    keywords = {"N_": ((1, "c"), 2), "NP_": ((1, "c"), 2, 3)}
    found = [
        (context, message)
        for source in sources()
        for _line, message, _comments, context in extract_from_file(
            "python", source, keywords=keywords, comment_tags=()
        )
    ]
    assert len({context for context, _ in found}) == len(found), "a key declared twice"
    return dict(found)


def names(text: str | tuple[str, ...]) -> set[str]:
    """The placeholders of a message, all its forms together, but ``count`` (a singular form
    may say "once")."""
    forms = (text,) if isinstance(text, str) else text
    return {name for form in forms for name in PLACEHOLDER.findall(form)} - {"count"}


def catalog(locale: str):
    with (LOCALE_DIR / folder(locale) / "LC_MESSAGES" / "salon.po").open("rb") as stream:
        return read_po(stream, locale=folder(locale))


def test_the_extracted_messages_are_the_ones_the_code_looks_up():
    assert sorted(sources()) == sorted(Path(module.__file__) for module in MODULES)
    assert sum(len(module.MESSAGES) for module in MODULES) == len(MESSAGES)  # no key in two modules
    assert declared() == MESSAGES
    assert len(MESSAGES) > 100


@pytest.mark.parametrize("locale", LOCALES)
def test_each_catalog_is_complete_current_and_keeps_every_placeholder(locale):
    po = catalog(locale)
    entries = {m.context: m for m in po if m.id}
    assert sorted(entries) == sorted(MESSAGES), "run `make catalogs`: the .po lags the message modules"
    stale = [key for key, m in entries.items() if m.id != MESSAGES[key] or m.fuzzy]
    assert stale == [], f"English changed since these were translated: {stale}"
    untranslated = [key for key, m in entries.items() if not all(m.string if m.pluralizable else [m.string])]
    assert untranslated == []
    for key, m in entries.items():
        forms = m.string if m.pluralizable else (m.string,)
        assert all(names(form) == names(m.id) for form in forms), (locale, key)
    assert not po.obsolete
    # the language's own plural rule (CLDR through Babel): three forms in Russian, one in Japanese
    assert po.plural_forms == get_plural(folder(locale)).plural_forms
    if locale not in ("en",):
        assert sum(m.string != m.id for m in entries.values()) > len(entries) // 2, "not translated"


def test_a_compiled_catalog_older_than_its_po_is_not_used(tmp_path):
    """A stale .mo (the .po edited since the build) must not win: the .po is read instead."""
    folder_ = tmp_path / "de" / "LC_MESSAGES"
    folder_.mkdir(parents=True)
    po = folder_ / "x.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgctxt "k"\nmsgid "Hello"\nmsgstr "Hallo"\n', encoding="utf-8")  # fmt: skip
    from babel.messages.mofile import write_mo

    with po.open("rb") as stream:
        old = read_po(stream)
    old.get("Hello", context="k").string = "Alt"
    mo = folder_ / "x.mo"
    with mo.open("wb") as stream:
        write_mo(stream, old)
    past = time.time() - 60
    os.utime(mo, (past, past))
    assert Catalogs(tmp_path, "x").text("k", "de", "Hello") == "Hallo"
    os.utime(mo, None)  # now the compiled one is current and is used
    assert Catalogs(tmp_path, "x").text("k", "de", "Hello") == "Alt"
    assert Catalogs(tmp_path, "x").text("k", "ja", "Hello") == "Hello"  # no catalog: the English


def test_plural_forms_follow_each_language(tmp_path):
    folder_ = tmp_path / "ru" / "LC_MESSAGES"
    folder_.mkdir(parents=True)
    (folder_ / "x.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
        '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgctxt "k"\nmsgid "{n} time"\nmsgid_plural "{n} times"\n'
        'msgstr[0] "{n} раз"\nmsgstr[1] "{n} раза"\nmsgstr[2] "{n} раз"\n',
        encoding="utf-8",
    )
    catalogs = Catalogs(tmp_path, "x")
    said = {n: catalogs.plural("k", "ru", "{n} time", "{n} times", n) for n in (1, 3, 5, 22)}
    assert said == {1: "1 раз", 3: "3 раза", 5: "5 раз", 22: "22 раза"}
