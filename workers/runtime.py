"""What actors need at run time: the settings and the database engine of this process.

Actors are module-level functions, so they reach the engine here; the server, the worker
CLI and the tests call :func:`configure` before any message is processed.
"""

from __future__ import annotations

from sqlalchemy import Engine

from domain.db import make_engine
from domain.settings import Settings, load_settings

_state: dict[str, object] = {}


def configure(settings: Settings, engine: Engine | None = None) -> Engine:
    engine = engine or make_engine(
        settings.database_url,
        settings.database_timeout,
        statement_timeout=settings.statement_timeout,
        job_statement_timeout=settings.job_statement_timeout,
    )
    _state.update(settings=settings, engine=engine)
    return engine


def settings() -> Settings:
    if "settings" not in _state:
        configure(load_settings())
    return _state["settings"]  # type: ignore[return-value]


def engine() -> Engine:
    if "engine" not in _state:
        configure(settings())
    return _state["engine"]  # type: ignore[return-value]
