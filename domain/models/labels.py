"""Labels: what a metric, skill, theme tag or department is called in one language.

Codes stay the keys everywhere; people read labels (``domain.labels`` picks one for a locale).
"""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from domain.models.base import one_of
from domain.vocabulary import LabelKind


class Label(SQLModel, table=True):
    __table_args__ = (
        one_of("kind", LabelKind),
        Index("uq_label_kind_code_locale", "kind", "code", "locale", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    code: str = Field(min_length=1)
    locale: str = Field(max_length=16)  # one of domain.labels.LOCALES
    name: str = Field(min_length=1)
