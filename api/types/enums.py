"""GraphQL enums, mirroring the domain's."""

from __future__ import annotations

from enum import Enum

import strawberry

from domain import models


@strawberry.enum(description="Which way a metric improves.")
class Direction(Enum):
    HIGHER_IS_BETTER = strawberry.enum_value(
        models.Direction.HIGHER_IS_BETTER.value, description="A larger value is better (sales, output)."
    )
    LOWER_IS_BETTER = strawberry.enum_value(
        models.Direction.LOWER_IS_BETTER.value, description="A smaller value is better (defects, complaints)."
    )


@strawberry.enum(description="How months roll up into quarters and employees into their department.")
class Aggregation(Enum):
    MEAN = strawberry.enum_value(models.Aggregation.MEAN.value, description="The average of the values.")
    SUM = strawberry.enum_value(models.Aggregation.SUM.value, description="The sum of the values.")
    RATIO = strawberry.enum_value(
        models.Aggregation.RATIO.value, description="Σnumerator / Σdenominator (the mean without them)."
    )


@strawberry.enum(description="Where a background job is.")
class JobStatus(Enum):
    QUEUED = strawberry.enum_value(models.JobStatus.QUEUED.value, description="Waiting for a worker.")
    RUNNING = strawberry.enum_value(models.JobStatus.RUNNING.value, description="A worker is on it.")
    SUCCEEDED = strawberry.enum_value(models.JobStatus.SUCCEEDED.value, description="Done; see `result`.")
    FAILED = strawberry.enum_value(models.JobStatus.FAILED.value, description="Gave up; see `error`.")


# Enum twins of string fields. A field's type is not changed (clients and stored queries read the
# lower-case codes it always returned); its twin, named after its enum, carries the enum.


@strawberry.enum(description="The dimension a gap's driver segments people by.")
class DriverDimension(Enum):
    TENURE = strawberry.enum_value(
        "tenure", description="New hires (< 180 days at period end) or experienced."
    )
    TEAM = strawberry.enum_value("team", description="The employee's team within the department.")
    EMPLOYEE = strawberry.enum_value("employee", description="One person (HR admins only).")


@strawberry.enum(description="The kind of an entry of a growth archive.")
class GrowthKind(Enum):
    TRAINING = strawberry.enum_value(models.GrowthKind.TRAINING.value, description="A training attended.")
    SKILL_ASSESSMENT = strawberry.enum_value(
        models.GrowthKind.SKILL_ASSESSMENT.value, description="A skill assessed, with a score."
    )
    GROWTH_WISH = strawberry.enum_value(
        models.GrowthKind.GROWTH_WISH.value, description="A skill the person wants to grow."
    )
    SALON_CONTRIBUTION = strawberry.enum_value(
        models.GrowthKind.SALON_CONTRIBUTION.value, description="A contribution to a salon, with points."
    )
    AWARD = strawberry.enum_value(models.GrowthKind.AWARD.value, description="An award.")
    PROMOTION = strawberry.enum_value(models.GrowthKind.PROMOTION.value, description="A promotion note.")


@strawberry.enum(description="What a salon's topic comes from.")
class TopicKind(Enum):
    SHORTFALL = strawberry.enum_value("shortfall", description="A gap: a metric below target or worsening.")
    GROWTH = strawberry.enum_value("growth", description="A growth need: a skill many want to grow.")
