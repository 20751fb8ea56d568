"""The closed vocabularies the tables store and the analytics compute with.

Plain enums with no ORM attached, so ``workers.analytics`` (pure Polars) can name them without
importing the models; ``domain.models`` stores them and re-exports them.
"""

from __future__ import annotations

from enum import StrEnum


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"


class Aggregation(StrEnum):
    """How months roll up into quarters and employees into their department."""

    MEAN = "mean"
    SUM = "sum"
    RATIO = "ratio"  # Σnumerator / Σdenominator


class GrowthKind(StrEnum):
    TRAINING = "training"
    SKILL_ASSESSMENT = "skill_assessment"
    GROWTH_WISH = "growth_wish"
    SALON_CONTRIBUTION = "salon_contribution"
    AWARD = "award"
    PROMOTION = "promotion"


class ContributionKind(StrEnum):
    """What someone did in a salon, as their growth archive records it (points: ``domain.growth``)."""

    ATTENDEE = "attendee"
    SHARER = "sharer"
    EXCELLENT_SHARER = "excellent_sharer"  # 被评为"优秀分享者": replaces SHARER for that salon
    PROBLEM_SOLVER = "problem_solver"


class LabelKind(StrEnum):
    """What a label names: its ``code`` is a metric's, a skill, a feedback theme tag or a
    department's."""

    METRIC = "metric"
    SKILL = "skill"
    TAG = "tag"
    DEPARTMENT = "department"


PERCENT = "%"  # a metric unit: values are fractions (0.08 is 8%)


class ValueSource(StrEnum):
    OFFICIAL = "official"  # the department-level observation, as reported
    DERIVED = "derived"  # rolled up from employee rows by the metric's aggregation
