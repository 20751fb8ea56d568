"""GraphQL enums, mirroring the domain's."""

from __future__ import annotations

from enum import Enum

import strawberry

from domain import models


@strawberry.enum(description="Which way a metric improves.")
class Direction(Enum):
    HIGHER_IS_BETTER = models.Direction.HIGHER_IS_BETTER.value
    LOWER_IS_BETTER = models.Direction.LOWER_IS_BETTER.value


@strawberry.enum(description="How months roll up into quarters and employees into their department.")
class Aggregation(Enum):
    MEAN = models.Aggregation.MEAN.value
    SUM = models.Aggregation.SUM.value
    RATIO = models.Aggregation.RATIO.value


@strawberry.enum(description="Where a background job is.")
class JobStatus(Enum):
    QUEUED = models.JobStatus.QUEUED.value
    RUNNING = models.JobStatus.RUNNING.value
    SUCCEEDED = models.JobStatus.SUCCEEDED.value
    FAILED = models.JobStatus.FAILED.value
