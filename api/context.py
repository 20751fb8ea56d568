"""The per-request context: settings, engine, and this request's DataLoaders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from anyio import to_thread
from sqlalchemy import Engine
from sqlmodel import Session
from strawberry.types import Info as StrawberryInfo

from api.loaders import Loaders
from domain.errors import new_reference
from domain.settings import Settings

T = TypeVar("T")


@dataclass
class Context:
    settings: Settings
    engine: Engine
    request_id: str = field(default_factory=new_reference)  # in masked errors and the log
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.read)

    async def read(self, query: Callable[[Session], T]) -> T:
        """Run a read in a worker thread, so a slow query never blocks the event loop."""

        def run() -> T:
            with Session(self.engine) as session:
                return query(session)

        return await to_thread.run_sync(run)


Info = StrawberryInfo[Context, None]
