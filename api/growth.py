"""The growth area of the root schema: the programme's numbers (``programMetrics``,
``programTrend``), contributions to a salon (``recordContribution``) and salon ratings
(``rateSalon``).

The programme's numbers are read as the workers stored them (``workers.programme_results``),
never computed here. Changes commit their programme metrics job with them and send it after the
commit, as an import does its recompute.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from anyio import to_thread
from sqlmodel import col, select

from api.audit import refuse
from api.context import Info
from api.salons import row_id as salon_row_id
from api.tokens import Role
from api.types.growth import ContributionInput, ProgramMetrics
from api.types.personal import GrowthRecord
from api.types.salon import Salon
from domain import models
from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.growth.contributions import record_contribution
from domain.growth.points import Scorer
from domain.growth.ratings import rate_salon
from domain.periods import Period
from domain.salons import store
from domain.vocabulary import ContributionKind
from workers.relay import send_now

TREND_LIMIT = 120  # periods in one trend: ten years of months


def _require_organisation_wide(info: Info, what: str) -> None:
    """The programme's numbers are the whole organisation's: HR and services without a
    department claim. A manager's or an employee's scope is part of it, and a share of the
    whole is not theirs to read."""
    if info.context.viewer.department_ids is not None:
        raise refuse(
            info, what, None, f"{what} covers the whole organisation: for HR and organisation-wide services"
        )


def _trend(start: Period, end: Period) -> list[Period]:
    if start.grain != end.grain:
        raise InvalidArgument(
            f"{end} is a {end.grain} and {start} a {start.grain}: a trend keeps one grain", field="to"
        )
    if end < start:
        raise InvalidArgument(f"{end} is before {start}", field="to")
    periods = [start]
    while periods[-1] < end:
        if len(periods) == TREND_LIMIT:
            raise InvalidArgument(f"at most {TREND_LIMIT} periods in one trend", field="to")
        periods.append(periods[-1].next())
    return periods


@strawberry.type
class GrowthQuery:
    @strawberry.field(
        description="The programme's numbers in a month, quarter, half-year or year (HR and organisation-wide "
        "services)."
    )
    async def program_metrics(
        self,
        info: Info,
        period: Annotated[Period, strawberry.argument(description="A month, quarter, half-year or year.")],
    ) -> ProgramMetrics:
        return (await _stored(info, [period], "programMetrics"))[0]

    @strawberry.field(
        description="The programme's numbers period by period, `from` to `to` inclusive, one grain (at most 120)."
    )
    async def program_trend(
        self,
        info: Info,
        from_: Annotated[
            Period,
            strawberry.argument(name="from", description="The first period (its grain is the trend's)."),
        ],
        to: Annotated[Period, strawberry.argument(description="The last period, of the same grain.")],
    ) -> list[ProgramMetrics]:
        return await _stored(info, _trend(from_, to), "programTrend")


async def _stored(info: Info, periods: list[Period], what: str) -> list[ProgramMetrics]:
    _require_organisation_wide(info, what)
    texts = [str(period) for period in periods]
    statement = select(models.ProgrammeMetrics).where(col(models.ProgrammeMetrics.period).in_(texts))
    rows = {row.period: row for row in await info.context.read(lambda s: s.exec(statement).all())}
    return [ProgramMetrics.of(period, rows.get(str(period))) for period in periods]


@strawberry.type
class GrowthMutation:
    @strawberry.mutation(
        description="Record a person's contribution to a held salon (HR, or a manager of a department it is "
        "for): a growth record dated at the salon with the policy's points. ATTENDEE records come from the "
        "salon's outcome; EXCELLENT_SHARER replaces SHARER."
    )
    async def record_contribution(
        self,
        info: Info,
        input: Annotated[ContributionInput, strawberry.argument(description="Who did what at which salon.")],  # noqa: A002
    ) -> GrowthRecord:
        viewer = info.context.viewer
        viewer.require(Role.HR_ADMIN, Role.MANAGER, action="recording contributions")
        salon_id = salon_row_id(input.salon_id)
        settings, engine = info.context.settings, info.context.engine

        def run() -> models.GrowthRecord:
            scorer = Scorer.installed(settings.contribution_policy)
            with session_scope(engine) as session:
                done = record_contribution(
                    session,
                    salon_id=salon_id,
                    employee_id=input.employee_id,
                    kind=ContributionKind(input.kind.value),
                    scorer=scorer,
                    note=input.note,
                    department_ids=viewer.department_ids,
                )
                session.flush()
                session.expunge(done.record)
            send_now(engine, done.job.id)
            return done.record

        record = await to_thread.run_sync(run)
        info.context.audit("mutation:recordContribution", f"employee:{input.employee_id}")  # once done
        return GrowthRecord.from_row(record)

    @strawberry.mutation(
        description="Rate a salon you attended, 1 to 5, with an optional comment; rating again changes it. "
        "Only aggregates of ratings are ever shown."
    )
    async def rate_salon(
        self,
        info: Info,
        salon_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="A held salon the viewer attended: its number (`Salon.salonId`) or its global id."
            ),
        ],
        score: Annotated[int, strawberry.argument(description="1 (poor) to 5 (excellent).")],
        comment: Annotated[
            str | None,
            strawberry.argument(description="What they would say about it; never shown with their name."),
        ] = None,
    ) -> Salon:
        viewer = info.context.viewer
        row_id = salon_row_id(salon_id)
        engine = info.context.engine

        def run():
            with session_scope(engine) as session:
                rated = rate_salon(session, row_id, viewer.employee_row_id, score, comment)
                salon = rated.salon
                links = store.attending_department_ids(session, [salon.id])[salon.id]
                session.expunge(salon)
            send_now(engine, rated.job.id)
            return salon, links

        salon, links = await to_thread.run_sync(run)
        info.context.audit("mutation:rateSalon", f"salon:{row_id}")  # once done
        return Salon.of(salon, links, info.context.locale(), info.context.formats)
