"""Salons and what they are made of. A ``Salon`` keeps its stored record private and speaks
the request's locale: every text was generated in each supported language at planning time."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

from api.connections import AFTER, DEFAULT_PAGE, PAGE_SIZE, Connection, page
from api.context import Info
from api.types.department import Department
from api.types.employee import Employee
from api.types.enums import TopicKind
from api.types.metric import Metric
from api.types.node import Node
from api.types.outcome import SalonOutcome
from api.types.plan import ImprovementPlan
from domain import models
from domain.notifications.invitations import calendar_path
from domain.periods import Period
from domain.salons import disclosure
from domain.salons.content import SalonContent, SalonTexts, StoredTopic
from domain.salons.timing import local_time, schedule_warnings
from plugins.i18n import localised, translate

if TYPE_CHECKING:
    from api.types.rsvp import Rsvp


@strawberry.enum(description="Where a salon is in its life: planning owns it only while PROPOSED.")
class SalonStatus(Enum):
    PROPOSED = strawberry.enum_value(
        models.SalonStatus.PROPOSED.value, description="Planned, not yet scheduled; planning may rewrite it."
    )
    SCHEDULED = strawberry.enum_value(models.SalonStatus.SCHEDULED.value, description="Has a time.")
    HELD = strawberry.enum_value(
        models.SalonStatus.HELD.value, description="Took place; its outcome is recorded."
    )
    CLOSED = strawberry.enum_value(
        models.SalonStatus.CLOSED.value, description="Done: practices and plans followed."
    )
    CANCELLED = strawberry.enum_value(
        models.SalonStatus.CANCELLED.value, description="Called off, with a reason."
    )


@strawberry.type(description="A kind of salon, contributed by a plugin.")
class SalonFormat:
    key: str = strawberry.field(description="The format's key, unique among installed formats.")
    name: str = strawberry.field(description="Its name in the request's language.")
    description: str = strawberry.field(description="What the format is, in the request's language.")

    @classmethod
    def of(cls, key: str, formats: dict[str, Any], locale: str) -> SalonFormat:
        registered = formats.get(key)
        if registered is None:  # the plugin was uninstalled after planning
            return cls(key=key, name=key, description="")
        fmt = registered.format
        return cls(key=key, name=localised(fmt.name, locale), description=localised(fmt.description, locale))


@strawberry.type(description="One part of a salon's agenda.")
class AgendaItem:
    title: str = strawberry.field(description="What this part is.")
    minutes: int = strawberry.field(description="How long it takes.")


@strawberry.type(description="A chart of a salon's data pack.")
class Chart:
    title: str = strawberry.field(description="The chart's title.")
    spec: JSON = strawberry.field(description="A complete Vega-Lite 5 specification, data inline.")


@strawberry.type(
    description="How well one format fits a topic, as the planner saw it: the format's own fit and its "
    "reason, and the score the planner ranked the pair by."
)
class FormatFit:
    format: SalonFormat = strawberry.field(description="The format.")
    score: float = strawberry.field(
        description="The format's fit, 0 (cannot serve) to 1 (ideal), as the planner used it (clamped); "
        "0 when its plugin failed."
    )
    reason: str | None = strawberry.field(
        description="Why, in the format's words (null when it gave none); when its plugin failed, the failure."
    )
    planner_score: float | None = strawberry.field(
        description="The planner's score, fit × the topic's relevance: what the planner ranks (topic, format) pairs by, the best "
        "one built; null for a topic beyond the department's top three, which the planner does not consider."
    )


@strawberry.type(description="What a salon is about: a shortfall on a metric or a growth need for a skill.")
class Topic:
    kind: str = strawberry.field(
        description="The kind as a code: shortfall or growth.",
        deprecation_reason="Use `topicKind` (an enum).",
    )

    @strawberry.field(description="The kind, as an enum.")
    def topic_kind(self) -> TopicKind:
        return TopicKind(self.kind)

    skill: str | None = strawberry.field(description="The skill of a growth topic, or null.")
    severity: float = strawberry.field(
        description="On the gap engine's scale; growth needs are weighed alike."
    )
    title: str = strawberry.field(description="The topic in the request's language.")
    metric_code: strawberry.Private[str | None]
    relevance: float | None = strawberry.field(
        default=None,
        description="0.5 + 0.5 × severity / the department's top severity, for its top three topics (the ones "
        "the planner considers); null for the others.",
    )
    fits: list[FormatFit] = strawberry.field(
        default_factory=list,
        description="Every format's fit for this topic, best first: the planner's own numbers (for a planned "
        "salon, as they were when it was planned).",
    )

    @strawberry.field(description="The metric of a shortfall topic, or null.")
    async def metric(self, info: Info) -> Metric | None:
        if self.metric_code is None:
            return None
        row = await info.context.loaders.metric_by_code.load(self.metric_code)
        return Metric.from_row(row) if row else None


@strawberry.enum(description="What someone does in a salon.")
class SalonRole(Enum):
    PRESENTER = strawberry.enum_value("presenter", description="Presents or hosts.")
    PARTICIPANT = strawberry.enum_value("participant", description="Takes part.")


@strawberry.type(
    description="Someone in a salon, as everyone invited sees them: a name and a role. `employee` is "
    "their record, for those who may see it (as `employee(id:)`: HR, their managers, themselves); "
    "otherwise null."
)
class SalonPerson:
    name: str = strawberry.field(description="Their name.")
    role: SalonRole = strawberry.field(description="Their role in the salon.")
    employee: Employee | None = strawberry.field(
        description="Their record, for those who may see it; else null."
    )


def _audit(info: Info, salon_id: int, employee_ids: Iterable[str]) -> None:
    """A salon read that showed people's own data: one event for the salon, one per person."""
    employee_ids = sorted(set(employee_ids))
    if employee_ids:
        info.context.audit("read:Salon.people", f"salon:{salon_id}")
    for employee_id in employee_ids:
        info.context.audit("read:Salon.people", f"employee:{employee_id}")


async def _employees(info: Info, salon_id: int, ids: list[str]) -> list[Employee]:
    """The people of ``ids`` the viewer may see in full (the loader reads only those), audited."""
    rows = await info.context.loaders.employee_by_code.load_many(ids)
    shown = [Employee.from_row(row) for row in rows if row is not None]
    _audit(info, salon_id, (e.employee_id for e in shown))
    return shown


async def _people(info: Info, salon_id: int, roles: list[tuple[str, SalonRole]]) -> list[SalonPerson]:
    """Names and roles for anyone who may see the salon's people (not services), records where
    the viewer may see them."""
    if not info.context.viewer.sees_salon_people:
        return []
    ids = [employee_id for employee_id, _ in roles]
    loaders = info.context.loaders
    records, rows = await asyncio.gather(
        loaders.salon_person_by_code.load_many(ids), loaders.employee_by_code.load_many(ids)
    )
    found = []
    for (_, role), record, row in zip(roles, records, rows, strict=True):
        if record is not None:
            found.append(
                SalonPerson(name=record.name, role=role, employee=Employee.from_row(row) if row else None)
            )
    _audit(info, salon_id, (p.employee.employee_id for p in found if p.employee))
    return found


@strawberry.type(description="A mixed working group of a workshop.")
class SalonGroup:
    name: str = strawberry.field(description="The group's name.")
    salon_id: strawberry.Private[int]
    member_ids: strawberry.Private[list[str]]

    @strawberry.field(
        description="The members the viewer may see in full (see `people` for everyone's names)."
    )
    async def members(self, info: Info) -> list[Employee]:
        return await _employees(info, self.salon_id, self.member_ids)

    @strawberry.field(description="Every member by name (not for services), with their record where visible.")
    async def people(self, info: Info) -> list[SalonPerson]:
        return await _people(info, self.salon_id, [(i, SalonRole.PARTICIPANT) for i in self.member_ids])


@strawberry.type(description="One department's salon of a month, as planned and then run.")
class Salon(Node):
    salon_id: strawberry.ID = strawberry.field(
        description="The salon's number, as `id` gave it before salons were nodes; every `salonId` "
        "argument takes it, or the global `id`."
    )
    month: Period = strawberry.field(description="The month it is planned for.")
    status: SalonStatus = strawberry.field(description="Where it is in its lifecycle.")
    scheduled_at: datetime | None = strawberry.field(
        description="When it takes place, in the UTC offset it was scheduled in."
    )
    schedule_warnings: list[str] = strawberry.field(
        description="What may be wrong with the scheduled time without stopping it (a day outside "
        "the salon's month); empty when nothing is."
    )
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled, or null.")
    row: strawberry.Private[models.Salon]
    department_ids: strawberry.Private[list[int]]
    locale: strawberry.Private[str]
    formats: strawberry.Private[dict[str, Any]]
    content: strawberry.Private[SalonContent]
    stored_topic: strawberry.Private[StoredTopic]

    @classmethod
    def of(cls, row: models.Salon, department_ids: list[int], locale: str, formats: dict[str, Any]) -> Salon:
        """The row's stored JSON is read here, once: a shape this code cannot read fails the
        salon (an internal error naming the key) instead of showing blanks."""
        return cls(
            salon_id=strawberry.ID(str(row.id)),
            month=Period.parse(row.month),
            status=SalonStatus(row.status),
            scheduled_at=local_time(row),
            schedule_warnings=schedule_warnings(row),
            cancel_reason=row.cancel_reason,
            row=row,
            department_ids=department_ids,
            locale=locale,
            formats=formats,
            content=SalonContent.from_json(row.content),
            stored_topic=StoredTopic.from_json(row.topic),
        )

    @property
    def node_key(self) -> str:
        return str(self.row.id)

    def _texts(self) -> SalonTexts:
        return self.content.texts_in(self.locale)

    @strawberry.field(description="Its title in the request's language.")
    def title(self) -> str:
        return self._texts().title

    @strawberry.field(description="Its format.")
    def format(self) -> SalonFormat:
        return SalonFormat.of(self.row.format_key, self.formats, self.locale)

    @strawberry.field(
        description="Who is invited and what they answered: everyone for HR and the managers of a department "
        "that attends (audited), one's own answer for anyone else invited."
    )
    async def rsvps(self, info: Info) -> list[Annotated[Rsvp, strawberry.lazy("api.types.rsvp")]]:
        from api.types.rsvp import salon_rsvps

        return await salon_rsvps(info, self.row.id, self.department_ids)

    @strawberry.field(
        description="The salon as an iCalendar file (GET with the same token), once it has been scheduled; "
        "its UID and SEQUENCE are those of the invitations."
    )
    def calendar_url(self) -> str | None:
        return calendar_path(self.row.id) if self.row.scheduled_at is not None else None

    @strawberry.field(description="The departments that attend.")
    async def departments(self, info: Info) -> list[Department]:
        rows = await info.context.loaders.department_by_id.load_many(self.department_ids)
        return [Department.from_row(row) for row in rows if row is not None]

    @strawberry.field(
        description="The department that hosts (a cross-department exchange), if not one of them."
    )
    async def host_department(self, info: Info) -> Department | None:
        if self.row.host_department_id is None:
            return None
        row = await info.context.loaders.department_by_id.load(self.row.host_department_id)
        return Department.from_row(row) if row else None

    @strawberry.field(description="What it is about.")
    def topic(self) -> Topic:
        topic = self.stored_topic
        return Topic(
            kind=topic.kind,
            skill=topic.skill,
            severity=topic.severity,
            title=topic.title_in(self.locale),
            metric_code=topic.metric_code,
            fits=[
                FormatFit(
                    format=SalonFormat.of(fit.format_key, self.formats, self.locale),
                    score=fit.score,
                    reason=fit.error or fit.reason_in(self.locale),
                    planner_score=fit.planner_score,
                )
                for fit in topic.fits
            ],
        )

    @strawberry.field(description="The presenters the viewer may see in full (see `people` for every name).")
    async def presenters(self, info: Info) -> list[Employee]:
        return await _employees(info, self.row.id, list(self.content.presenters))

    @strawberry.field(
        description="The participants the viewer may see in full (see `people` for every name)."
    )
    async def participants(self, info: Info) -> list[Employee]:
        return await _employees(info, self.row.id, list(self.content.participants))

    @strawberry.field(
        description="`participants` a page at a time (Relay connection): the same people in the same order."
    )
    async def participants_connection(
        self, info: Info, first: PAGE_SIZE = DEFAULT_PAGE, after: AFTER = None
    ) -> Connection[Employee]:
        people = await _employees(info, self.row.id, list(self.content.participants))
        return page(people, first, after, lambda person: person)

    @strawberry.field(description="How many people take part (presenters aside); for every viewer.")
    def participant_count(self) -> int:
        return len(self.content.participants)

    @strawberry.field(
        description="Everyone in the salon, presenters first, by name and role (empty for services); "
        "`employee` only where the viewer may see that person."
    )
    async def people(self, info: Info) -> list[SalonPerson]:
        roles = [(i, SalonRole.PRESENTER) for i in self.content.presenters]
        roles += [(i, SalonRole.PARTICIPANT) for i in self.content.participants]
        return await _people(info, self.row.id, roles)

    @strawberry.field(description="The discussion groups.")
    def groups(self) -> list[SalonGroup]:
        return [
            SalonGroup(
                name=translate("group.name", self.locale, number=number),
                salon_id=self.row.id,
                member_ids=list(members),
            )
            for number, members in enumerate(self.content.groups, start=1)
        ]

    @strawberry.field(
        description="The data pack: Vega-Lite specs every group works from. A chart with a row per person "
        "is whole only for a viewer who may see every one of them; others get it by team (teams under "
        "5 people folded into Other), the mean of all, and their own rows."
    )
    async def charts(self, info: Info) -> list[Chart]:
        specs = self._texts().charts
        candidates = sorted({text for spec in specs for text in disclosure.strings_in(spec)})
        records = await info.context.loaders.salon_person_by_code.load_many(candidates)
        people = [r for r in records if r is not None]
        viewer = info.context.viewer
        segments = {p.employee_id: p.team or "—" for p in people}
        visible = {p.employee_id for p in people if viewer.sees_employee(p.row_id, p.department_id)}
        labels = disclosure.Labels(
            segment=translate("chart.team", self.locale),
            other=translate("chart.other", self.locale),
            everyone=translate("chart.everyone", self.locale),
        )
        charts = []
        for spec in specs:
            served = disclosure.disclose(spec, segments, visible, labels)
            _audit(info, self.row.id, served.shown)
            if served.spec is not None:
                charts.append(Chart(title=served.spec.get("title", ""), spec=served.spec))
        return charts

    @strawberry.field(description="Questions to discuss, built from the numbers.")
    def questions(self) -> list[str]:
        return list(self._texts().questions)

    @strawberry.field(description="The agenda, in order.")
    def agenda(self) -> list[AgendaItem]:
        return [AgendaItem(title=entry.title, minutes=entry.minutes) for entry in self._texts().agenda]

    @strawberry.field(description="What it concluded, once held.")
    async def outcome(self, info: Info) -> SalonOutcome | None:
        row = await info.context.loaders.plans.outcome_by_salon_id.load(self.row.id)
        return SalonOutcome.from_row(row) if row else None

    @strawberry.field(description="The improvement plans that follow it, those the viewer may see.")
    async def plans(self, info: Info) -> list[ImprovementPlan]:
        rows = await info.context.loaders.plans.plans_by_salon_id.load(self.row.id)
        return [ImprovementPlan.from_row(row) for row in rows]
