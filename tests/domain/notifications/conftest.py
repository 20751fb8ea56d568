from __future__ import annotations

import pytest

from tests.domain.notifications.world import World, build


@pytest.fixture
def world(engine) -> World:
    return build(engine)
