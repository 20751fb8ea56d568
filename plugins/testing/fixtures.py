"""pytest fixtures for plugin authors. Enable them with one line in your ``conftest.py``::

    pytest_plugins = ["plugins.testing.fixtures"]

- ``salon_facts``: :func:`plugins.testing.sample_company` (OPS lagging on ``score``, ACE leading);
- ``salon_context``: OPS's read-only context in English;
- ``salon_topic``: OPS's shortfall on ``score`` (its top topic);
- ``salon_plan``: :func:`plugins.testing.plan` on ``salon_facts`` unless you pass ``facts``.
"""

from __future__ import annotations

from functools import partial

import pytest

from plugins.context import Context
from plugins.facts import Facts
from plugins.testing.builders import context, sample_company, topic
from plugins.testing.running import plan
from plugins.topics import Topic


@pytest.fixture
def salon_facts() -> Facts:
    return sample_company()


@pytest.fixture
def salon_context(salon_facts: Facts) -> Context:
    return context(salon_facts, "OPS", "en")


@pytest.fixture
def salon_topic(salon_facts: Facts) -> Topic:
    return topic(salon_facts, "OPS", metric="score")


@pytest.fixture
def salon_plan(salon_facts: Facts):
    """``plan(formats=[…], plugins=[…], builtin=…, settings=…)`` on ``salon_facts``."""
    return partial(plan, facts=salon_facts)
