"""Salon reads and mutations of the root schema.

Every read of stored salons goes through ``_visible``, which hands the department ids a
request may see to ``domain.salons.store.visible_salons``: row-level permissions come from the
viewer's scope in ``allowed_department_ids``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Annotated

import strawberry
from anyio import to_thread
from sqlmodel import Session, select

from api.context import Info
from api.locale import LOCALE_ARGUMENT
from api.tokens import Role
from api.types.job import Job
from api.types.node import numeric_id
from api.types.salon import FormatFit, Salon, SalonFormat, Topic
from api.types.salon_inputs import SalonEditInput, SalonOutcomeInput
from api.viewer import PermissionDenied, Viewer
from domain import models
from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.growth.contributions import record_attendance_contributions
from domain.growth.points import Scorer
from domain.jobs import PLAN_MONTH
from domain.periods import Period
from domain.salons import editing, lifecycle, store
from domain.salons.fits import TopicFits, topic_fits
from domain.salons.planning import check_plan, topics_for
from domain.salons.topics import topic_title
from plugins.context import Context as PluginContext
from plugins.i18n import localised
from workers.jobs import enqueue
from workers.relay import send_now


def allowed_department_ids(info: Info) -> set[int] | None:
    """The departments whose salons this request may see (hosted or attended); None = all.

    The viewer's aggregate scope: a manager's subtree, an employee's own department (the
    salons they are invited to), a service's claimed subtree, everything for HR.
    """
    ids = info.context.viewer.department_ids
    return None if ids is None else set(ids)


def _narrowed(allowed: set[int] | None, department_id: int | None) -> Collection[int] | None:
    if department_id is None:
        return allowed
    return {department_id} if allowed is None else allowed & {department_id}


def department_id_in_scope(session: Session, viewer: Viewer, code: str) -> int:
    """The department with ``code``, if the viewer may see it. Unknown and out of scope read the
    same to anyone but HR, so a code's existence is not told to who may not see it."""
    found = session.exec(select(models.Department.id).where(models.Department.code == code)).first()
    if viewer.is_admin and found is None:
        raise InvalidArgument(f"departmentCode: unknown department {code!r}")
    if found is None or not viewer.sees_department(found):
        raise PermissionDenied(f"no department {code!r} in your scope")
    return found


def _load(session: Session, department_ids, **filters) -> list[tuple[models.Salon, list[int]]]:
    rows = store.visible_salons(session, department_ids=department_ids, **filters)
    links = store.attending_department_ids(session, [r.id for r in rows])
    return [(row, links[row.id]) for row in rows]


async def _visible(
    info: Info, department_code: str | None = None, **filters
) -> list[tuple[models.Salon, list[int]]]:
    allowed = allowed_department_ids(info)
    viewer = info.context.viewer

    def query(session: Session):
        department_id = department_id_in_scope(session, viewer, department_code) if department_code else None
        return _load(session, _narrowed(allowed, department_id), **filters)

    return await info.context.read(query)


async def department_salons(
    info: Info, department_id: int, code: str, month: Period, locale: str | None
) -> list[Salon]:
    """``Department.salons``: the salons ``salons(month, departmentCode)`` lists, batched across
    the departments of a request."""
    chosen = info.context.locale(locale)
    rows = await info.context.loaders.plans.salons_by_department_month.load((department_id, code, str(month)))
    return [Salon.of(row, ids, chosen, info.context.formats) for row, ids in rows]


async def visible_salons_of(info: Info, month: str) -> list[tuple[models.Salon, list[int]]]:
    """The month's salons the viewer may see, with their departments (``Subscription.salonChanged``)."""
    return await _visible(info, month=month)


def row_id(
    value: strawberry.ID, argument: str = "salonId", kind: str = "salon", type_name: str = "Salon"
) -> int:
    """A salon's (or plan's) row id from its number or its global id (:func:`numeric_id`)."""
    return numeric_id(value, type_name, argument, kind)


SALON_ID = Annotated[
    strawberry.ID,
    strawberry.argument(description="The salon: its number (`Salon.salonId`) or its global id (`Salon.id`)."),
]


@strawberry.type
class SalonQuery:
    @strawberry.field(description="Every installed salon format, by key.")
    def salon_formats(self, info: Info, locale: LOCALE_ARGUMENT = None) -> list[SalonFormat]:
        chosen = info.context.locale(locale)
        return [SalonFormat.of(key, info.context.formats, chosen) for key in info.context.formats]

    @strawberry.field(
        description="The salons of a month, optionally of one department (attending or hosting)."
    )
    async def salons(
        self,
        info: Info,
        month: Annotated[Period, strawberry.argument(description="The month.")],
        department_code: Annotated[
            str | None, strawberry.argument(description="Only salons this department hosts or attends.")
        ] = None,
        locale: LOCALE_ARGUMENT = None,
    ) -> list[Salon]:
        chosen = info.context.locale(locale)
        rows = await _visible(info, department_code, month=str(month))
        return [Salon.of(row, ids, chosen, info.context.formats) for row, ids in rows]

    @strawberry.field(description="One salon by id, or null.")
    async def salon(self, info: Info, id: SALON_ID, locale: LOCALE_ARGUMENT = None) -> Salon | None:  # noqa: A002
        chosen = info.context.locale(locale)
        rows = await _visible(info, salon_ids=[row_id(id, "id")])
        return Salon.of(*rows[0], chosen, info.context.formats) if rows else None

    @strawberry.field(
        description="A department's candidate topics for planning a month, most severe first, each with every "
        "format's fit and reason and the planner's score: why the planner would choose what it chooses."
    )
    async def topics(
        self,
        info: Info,
        department_code: Annotated[str, strawberry.argument(description="The department's code.")],
        month: Annotated[Period, strawberry.argument(description="The month being planned.")],
        locale: LOCALE_ARGUMENT = None,
    ) -> list[Topic]:
        chosen = info.context.locale(locale)

        viewer = info.context.viewer

        formats = info.context.formats

        def read(session: Session):
            if not viewer.is_admin:  # out of scope and unknown read the same: existence is not told
                department_id_in_scope(session, viewer, department_code)
            facts, topics = topics_for(session, department_code, str(month))
            if facts is None:
                return None, []
            context = PluginContext(facts, department_code, chosen)
            return context, topic_fits(
                topics, formats, context, considered_only=False
            )  # plugin code: off the loop

        context, fits = await info.context.read(read)
        return [_topic(entry, context, formats, chosen) for entry in fits]


def _topic(entry: TopicFits, context: PluginContext, formats, locale: str) -> Topic:
    topic = entry.topic
    return Topic(
        kind=topic.kind,
        skill=topic.skill,
        severity=topic.severity,
        title=topic_title(topic, context),
        metric_code=topic.metric_code,
        relevance=entry.relevance,
        fits=[
            FormatFit(
                format=SalonFormat.of(fit.format_key, formats, locale),
                score=fit.score,
                reason=fit.error or (localised(fit.reason, locale) if fit.reason is not None else None),
                planner_score=fit.planner_score,
            )
            for fit in entry.fits
        ],
    )


@strawberry.type
class SalonMutation:
    @strawberry.mutation(
        description="Plan (or re-plan) a month's salons: PROPOSED ones are rewritten, later states are kept. "
        "`departmentCodes` limits the departments, `formats` the formats that may be chosen (proposals of "
        "other formats are left alone). Returns the job; its result lists the proposals removed or replaced."
    )
    async def plan_month(
        self,
        info: Info,
        month: Annotated[Period, strawberry.argument(description="The month to plan.")],
        department_codes: Annotated[
            list[str] | None, strawberry.argument(description="Only these departments; all when omitted.")
        ] = None,
        formats: Annotated[
            list[str] | None,
            strawberry.argument(description="Only these formats (keys); all installed when omitted."),
        ] = None,
    ) -> Job:
        info.context.viewer.require(Role.HR_ADMIN, action="planning salons")

        def run():
            with Session(info.context.engine) as session:  # connects only to check department codes
                check_plan(session, month, department_codes, formats, info.context.formats)
            return enqueue(
                info.context.engine,
                PLAN_MONTH,
                month=str(month),
                department_codes=department_codes,
                formats=formats,
            )

        return Job.from_row(await to_thread.run_sync(run))

    @strawberry.mutation(
        description="Schedule (or reschedule) a proposed or scheduled salon at a time to come (with its UTC "
        "offset, within two years): answered in that offset; `scheduleWarnings` says when the day falls "
        "outside the salon's month."
    )
    async def schedule_salon(
        self,
        info: Info,
        salon_id: SALON_ID,
        at: Annotated[datetime, strawberry.argument(description="When it takes place (with its time zone).")],
    ) -> Salon:
        return await _change(info, lambda s, ids: store.schedule(s, row_id(salon_id), at, ids))

    @strawberry.mutation(description="Cancel a proposed or scheduled salon, saying why.")
    async def cancel_salon(
        self,
        info: Info,
        salon_id: SALON_ID,
        reason: Annotated[str, strawberry.argument(description="Why it is called off.")],
    ) -> Salon:
        return await _change(info, lambda s, ids: store.cancel(s, row_id(salon_id), reason, ids))

    @strawberry.mutation(
        description="Record what a salon concluded: PROPOSED or SCHEDULED → HELD; recorded again while HELD, "
        "it replaces the outcome. Its adopted practices join the practice library."
    )
    async def record_salon_outcome(
        self,
        info: Info,
        salon_id: SALON_ID,
        input: Annotated[
            SalonOutcomeInput, strawberry.argument(description="What the salon decided and who came.")
        ],  # noqa: A002  (the contract's name)
    ) -> Salon:
        outcome, by = input.to_domain(), info.context.viewer.subject
        policy, jobs = info.context.settings.contribution_policy, []

        def record(session: Session, ids) -> models.Salon:
            salon = lifecycle.record_outcome(session, row_id(salon_id), outcome, by, ids)
            # its attendees' ATTENDEE records, and the programme metrics job, in the same commit
            jobs.append(record_attendance_contributions(session, salon.id, Scorer.installed(policy)))
            return salon

        recorded = await _change(info, record)
        for job in jobs:  # committed: sent now, or by a relay if this send fails
            await to_thread.run_sync(send_now, info.context.engine, job.id)
        return recorded

    @strawberry.mutation(description="Close a held salon whose outcome is recorded: HELD → CLOSED.")
    async def close_salon(self, info: Info, salon_id: SALON_ID) -> Salon:
        return await _change(info, lambda s, ids: lifecycle.close(s, row_id(salon_id), ids))

    @strawberry.mutation(
        description="Edit a proposed or scheduled salon's title, agenda, questions or people (HR, or a manager "
        "of a department that attends it). From then on it is people's: re-planning leaves it as they wrote it."
    )
    async def update_salon(
        self,
        info: Info,
        salon_id: SALON_ID,
        input: Annotated[
            SalonEditInput, strawberry.argument(description="What changes; omitted fields stay.")
        ],  # noqa: A002  (the contract's name)
        locale: Annotated[
            str | None,
            strawberry.argument(
                description="The language the texts were edited in, the one the salon was read in (zh-CN, "
                "en, …): a text changed replaces it in every language, one sent back unchanged keeps each "
                "language's own; the request's Accept-Language, then the server's default, when omitted."
            ),
        ] = None,
    ) -> Salon:
        change, by, chosen = input.to_domain(), info.context.viewer.subject, info.context.locale(locale)
        return await _change(
            info, lambda s, ids: editing.edit(s, row_id(salon_id), change, by, ids, chosen), chosen
        )


async def _change(info: Info, change, locale: str | None = None) -> Salon:
    """HR changes any salon; a manager those their subtree attends (``store`` leaves out the ones
    it only hosts). The audit entry names the salon changed."""
    info.context.viewer.require(Role.HR_ADMIN, Role.MANAGER, action=f"{info.field_name}")
    allowed = allowed_department_ids(info)

    def run():
        engine = info.context.engine
        with session_scope(engine) as session:
            row = change(session, allowed)
            session.flush()
            loaded = _load(session, None, salon_ids=[row.id])[0]
            queued = [
                o.id for o in session.identity_map.values() if isinstance(o, models.Job) and o.sent_at is None
            ]
        for (
            job_id
        ) in queued:  # committed with the change (invitations, programme numbers): sent now, or by a relay
            send_now(engine, job_id)
        return loaded

    row, ids = await to_thread.run_sync(run)
    info.context.audit(f"mutation:{info.field_name}", f"salon:{row.id}")
    return Salon.of(row, ids, locale or info.context.locale(), info.context.formats)
