"""What people read instead of a code: the display name of a metric, skill, theme tag or
department in their language.

Names come from the imported labels (the ``labels`` import kind: kind, code, locale, name); the
names in the metrics and departments templates count as the default locale's. A name is looked
up in the reader's locale, then the default locale, and without one the code is made readable
(``code_optimization`` → "Code optimization"), so a raw snake_case code never reaches a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, select

from domain.locales import LOCALES, negotiate
from domain.models import Department, Label, Metric
from domain.vocabulary import LabelKind

_SEPARATORS = re.compile(r"[_\-\s]+")


def readable(code: str) -> str:
    """A code as words: separators become spaces, the first letter is capitalised, and words in
    capitals (``HQ``) or other scripts (``培训``) are left as they are."""
    words = [word for word in _SEPARATORS.split(code.strip()) if word]
    if not words:
        return code
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


@dataclass(frozen=True)
class Labels:
    """The names known when loaded; :meth:`name` picks one."""

    default_locale: str
    names: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (kind, code, locale)
    template_names: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, code)

    def name(self, kind: LabelKind | str, code: str, locale: str | None = None) -> str:
        """``code``'s name in ``locale`` (any tag: ``zh-Hant-TW`` reads ``zh-TW``), else in the
        default locale, else the code made readable."""
        kind = LabelKind(kind).value
        wanted = negotiate([locale]) if locale else None
        for candidate in dict.fromkeys(filter(None, (wanted, self.default_locale))):
            found = self.names.get((kind, code, candidate))
            if found:
                return found
        return self.template_names.get((kind, code)) or readable(code)


def load_labels(source: Engine | Connection, default_locale: str = LOCALES[0]) -> Labels:
    """Every label and template name (a few thousand rows at most: read whole, once)."""
    if isinstance(source, Engine):
        with source.connect() as connection:
            return load_labels(connection, default_locale)
    names = {
        (kind, code, locale): name
        for kind, code, locale, name in source.execute(
            select(Label.kind, Label.code, Label.locale, Label.name)
        ).all()
    }
    template_names = {
        (LabelKind.METRIC.value, code): name
        for code, name in source.execute(select(Metric.code, Metric.name))
    } | {
        (LabelKind.DEPARTMENT.value, code): name
        for code, name in source.execute(select(Department.code, Department.name))
    }
    return Labels(default_locale, names, template_names)
