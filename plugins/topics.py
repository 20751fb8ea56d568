"""Topics: what a department's salon could be about — the type a format reads.

A topic is a shortfall (a gap below target or worsening, ``SHORTFALL``) or a growth need (a
share of the department asking to grow a skill, ``GROWTH``). How topics are found and ranked
is the product's planning policy (``domain.salons.topics``), not part of the plugin API.
"""

from __future__ import annotations

from dataclasses import dataclass

from plugins.facts import GapFacts, GrowthNeedFacts

SHORTFALL = "shortfall"
GROWTH = "growth"


@dataclass(frozen=True)
class Topic:
    """One candidate topic; ``gap`` or ``growth_need`` is the finding behind it."""

    kind: str  # "shortfall" or "growth"
    department_code: str
    metric_code: str | None
    skill: str | None
    severity: float
    period: str
    gap: GapFacts | None = None
    growth_need: GrowthNeedFacts | None = None

    @property
    def key(self) -> str:
        """Stable within a department and period: identifies the topic in stored salons."""
        return f"{self.kind}:{self.metric_code or ''}:{self.skill or ''}"
