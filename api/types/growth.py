"""The growth area's types: contribution kinds and their input, the programme's numbers, and a
person's standing on their department's metrics — with the ``Employee`` fields that read them
(``appraisalBonus``, ``metrics``), whose resolvers live here so ``Employee`` only names them."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry

from api.context import Info
from api.types.metric import Metric
from domain import models
from domain.growth.bonus import capped, parse_cycle
from domain.growth.policy import load_policy
from domain.growth.standing import Standing
from domain.periods import Period, kpi_period


@strawberry.enum(description="What someone did in a salon, as their growth archive records it.")
class ContributionKind(Enum):
    ATTENDEE = strawberry.enum_value(
        models.ContributionKind.ATTENDEE.value, description="Attended the salon (its outcome lists them)."
    )
    SHARER = strawberry.enum_value(
        models.ContributionKind.SHARER.value, description="Shared their practice or data in the salon."
    )
    EXCELLENT_SHARER = strawberry.enum_value(
        models.ContributionKind.EXCELLENT_SHARER.value,
        description="Recognised as an excellent sharer (优秀分享者); replaces SHARER for that salon.",
    )
    PROBLEM_SOLVER = strawberry.enum_value(
        models.ContributionKind.PROBLEM_SOLVER.value,
        description="Solved a problem the salon took on (问题解决者).",
    )


@strawberry.input(description="A contribution to a held salon, by one of its people.")
class ContributionInput:
    employee_id: str = strawberry.field(
        description="The employee id of the person who contributed (a person of the salon)."
    )
    salon_id: strawberry.ID = strawberry.field(
        description="The held salon the contribution was made at: its number (`Salon.salonId`) or its global id."
    )
    kind: ContributionKind = strawberry.field(description="What they did.")
    note: str | None = strawberry.field(
        default=None, description="What they shared or solved, in a few words."
    )


@strawberry.type(
    description="The programme's own numbers in a period (month, quarter, half-year or year), computed by the "
    "workers when imports, outcomes, contributions or ratings change them."
)
class ProgramMetrics:
    period: Period = strawberry.field(description="The period of these figures.")
    attainment_rate: float | None = strawberry.field(
        description="Among the period's gap results with a target, the share not below it (the gap engine's "
        "belowTarget; a half-year or year counts its quarters). Null when no target falls in the period."
    )
    growth_archive_update_rate: float = strawberry.field(
        description="The share of active employees with a growth record dated in the period."
    )
    satisfaction: float | None = strawberry.field(
        description="The mean salon rating × 20 (0–100), to the nearest 5; null below 5 ratings, so that no "
        "one's score can be read from it."
    )
    ratings: int = strawberry.field(description="How many ratings the period's salons have.")
    salons_held: int = strawberry.field(description="Salons of the period that were held (HELD or CLOSED).")
    participation_rate: float | None = strawberry.field(
        description="Attendees ÷ invited of the salons held; null when they invited nobody."
    )
    plans_on_track: float | None = strawberry.field(
        description="The share of the period's active plans on track at their latest progress point; null "
        "when none has progress yet."
    )

    @classmethod
    def of(cls, period: Period, row: models.ProgrammeMetrics | None) -> ProgramMetrics:
        """A stored period, or an empty one when nothing has happened in it."""
        if row is None:
            return cls(
                period=period,
                attainment_rate=None,
                growth_archive_update_rate=0.0,
                satisfaction=None,
                ratings=0,
                salons_held=0,
                participation_rate=None,
                plans_on_track=None,
            )
        return cls(
            period=period,
            attainment_rate=row.attainment_rate,
            growth_archive_update_rate=row.growth_archive_update_rate,
            satisfaction=row.satisfaction,
            ratings=row.ratings,
            salons_held=row.salons_held,
            participation_rate=row.participation_rate,
            plans_on_track=row.plans_on_track,
        )


@strawberry.type(
    description="A person's value of a metric in a period next to their department's value, its people's "
    "average and their rank (1 the best)."
)
class MetricStanding:
    metric_id: strawberry.Private[int]

    @strawberry.field(description="The metric.")
    async def metric(self, info: Info) -> Metric:
        return Metric.from_row(await info.context.loaders.metric_by_id.load(self.metric_id))

    period: Period = strawberry.field(description="The month or quarter.")
    value: float | None = strawberry.field(description="Theirs; null when they have none in the period.")
    department_value: float | None = strawberry.field(description="The department's own value (its gap's).")
    department_average: float | None = strawberry.field(
        description="The mean of its people's values; withheld from the person themself when fewer than 5 "
        "people have one (it would give a colleague's away)."
    )
    rank_in_department: int | None = strawberry.field(
        description="Their place among the department's people, 1 the best (direction-aware; ties share)."
    )
    target: float | None = strawberry.field(description="The department's target in the period, if any.")

    @classmethod
    def of(cls, standing: Standing) -> MetricStanding:
        return cls(
            metric_id=standing.metric_id,
            period=Period.parse(standing.period),
            value=standing.value,
            department_value=standing.department_value,
            department_average=standing.department_average,
            rank_in_department=standing.rank_in_department,
            target=standing.target,
        )


# --- Employee fields: ``root`` is the Employee ------------------------------------------------


async def appraisal_bonus(
    root: Any,
    info: Info,
    cycle: Annotated[
        str,
        strawberry.argument(
            description="The appraisal cycle: a year 2026, a half 2026-H2, a quarter 2026-Q4 or a month 2026-10."
        ),
    ],
) -> float:
    """The points of their salon contributions dated in ``cycle``, at most the policy's cap."""
    root._check(info, "appraisalBonus")
    period = parse_cycle(cycle)
    earned = await info.context.loaders.growth.earned_by_employee_cycle.load((root.row_id, str(period)))
    return capped(earned, load_policy(info.context.settings.contribution_policy))


async def metric_standings(
    root: Any, info: Info, period: Annotated[Period, strawberry.argument(description="A month or a quarter.")]
) -> list[MetricStanding]:
    """Their standing on each metric they or their department have a value of in ``period``."""
    root._check(info, "metrics")
    period = kpi_period(period)
    found = await info.context.loaders.growth.standings_by_employee_period.load((root.row_id, str(period)))
    return [MetricStanding.of(standing) for standing in found]
