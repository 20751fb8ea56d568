from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from domain.db import make_engine
from workers.rebuild import rebuild


@pytest.fixture
def computed_demo(demo_database_url) -> Iterator[Engine]:
    """The demo company with the gap engine's results computed, as after its first start."""
    engine = make_engine(demo_database_url)
    rebuild(engine)
    yield engine
    engine.dispose()
