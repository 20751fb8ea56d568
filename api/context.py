"""The per-request context: settings, engine, the viewer, this request's DataLoaders and the
audit events its resolvers noted (written once, when the operation ends)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import Session
from strawberry.types import Info as StrawberryInfo

from api import locale as locales
from api.loaders import Loaders
from api.reads import RequestReads
from api.viewer import Viewer
from domain.errors import new_reference
from domain.settings import Settings

T = TypeVar("T")


@dataclass
class Context:
    settings: Settings
    engine: Engine
    viewer: Viewer
    formats: dict[str, Any] = field(default_factory=dict)  # salon formats by key, loaded at start
    header_locale: str | None = None  # from Accept-Language
    request_id: str = field(default_factory=new_reference)  # in masked errors and the log
    hold_session: bool = False  # an HTTP operation's reads keep one session to its end (api.reads)
    twin: AsyncEngine | None = None  # the engine's asyncio twin on PostgreSQL: reads on the loop (api.reads)
    loaders: Loaders = field(init=False)
    reads: RequestReads = field(init=False)
    audit_events: dict[tuple[str, str | None], None] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.reads = RequestReads(self.engine, hold=self.hold_session, twin=self.twin)
        self.loaders = Loaders(self.read, self.viewer)

    def locale(self, argument: str | None = None) -> str:
        """The language of generated texts: the ``locale`` argument, the header, the setting."""
        return locales.choose(argument, self.header_locale, self.settings.locale)

    async def read(self, query: Callable[[Session], T]) -> T:
        """Run a read with the others asked for at the same time, in one session: on the event loop
        for a SQLite file (a read that outruns its budget moves to a worker thread) and for
        PostgreSQL through the twin, in a worker thread otherwise (:mod:`api.reads`)."""
        return await self.reads(query)

    def audit(self, action: str, target: str | None = None) -> None:
        """Note a mutation or a read of individual-level data (once per action and target)."""
        self.audit_events.setdefault((action, target), None)


Info = StrawberryInfo[Context, None]
