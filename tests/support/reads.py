"""Reads for tests of ``api.reads``: each answers a number and may note where it ran."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text


def value(n: int, note: Callable[[object], object] | None = None):
    """A read answering ``n`` with one statement; ``note(session)`` first, to see which session
    and thread it ran in, or whether it ran at all."""

    def query(session):
        if note is not None:
            note(session)
        return session.execute(text(f"SELECT {n}")).scalar_one()

    return query
