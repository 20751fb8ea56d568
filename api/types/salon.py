"""Salons and what they are made of. A ``Salon`` keeps its stored record private and speaks
the request's locale: every text was generated in each supported language at planning time."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from api.context import Info
from api.types.department import Department
from api.types.employee import Employee
from api.types.metric import Metric
from domain import models
from domain.periods import Period
from plugins.formats import localised
from plugins.i18n import translate


@strawberry.enum(description="Where a salon is in its life: planning owns it only while PROPOSED.")
class SalonStatus(Enum):
    PROPOSED = models.SalonStatus.PROPOSED.value
    SCHEDULED = models.SalonStatus.SCHEDULED.value
    HELD = models.SalonStatus.HELD.value
    CLOSED = models.SalonStatus.CLOSED.value
    CANCELLED = models.SalonStatus.CANCELLED.value


@strawberry.type(description="A kind of salon, contributed by a plugin.")
class SalonFormat:
    key: str
    name: str
    description: str

    @classmethod
    def of(cls, key: str, formats: dict[str, Any], locale: str) -> SalonFormat:
        registered = formats.get(key)
        if registered is None:  # the plugin was uninstalled after planning
            return cls(key=key, name=key, description="")
        fmt = registered.format
        return cls(key=key, name=localised(fmt.name, locale), description=localised(fmt.description, locale))


@strawberry.type(description="One part of a salon's agenda.")
class AgendaItem:
    title: str
    minutes: int


@strawberry.type(description="A chart of a salon's data pack.")
class Chart:
    title: str
    spec: JSON = strawberry.field(description="A complete Vega-Lite 5 specification, data inline.")


@strawberry.type(description="What a salon is about: a shortfall on a metric or a growth need for a skill.")
class Topic:
    kind: str = strawberry.field(description="shortfall or growth.")
    skill: str | None
    severity: float = strawberry.field(
        description="On the gap engine's scale; growth needs are weighed alike."
    )
    title: str
    metric_code: strawberry.Private[str | None]

    @strawberry.field
    async def metric(self, info: Info) -> Metric | None:
        if self.metric_code is None:
            return None
        row = await info.context.loaders.metric_by_code.load(self.metric_code)
        return Metric.from_row(row) if row else None


async def _people(info: Info, ids: list[str]) -> list[Employee]:
    rows = await info.context.loaders.employee_by_code.load_many(ids)
    return [Employee.from_row(row) for row in rows if row is not None]


@strawberry.type(description="A mixed working group of a workshop.")
class SalonGroup:
    name: str
    member_ids: strawberry.Private[list[str]]

    @strawberry.field
    async def members(self, info: Info) -> list[Employee]:
        return await _people(info, self.member_ids)


@strawberry.type(description="One department's salon of a month, as planned and then run.")
class Salon:
    id: strawberry.ID
    month: Period
    status: SalonStatus
    scheduled_at: datetime | None
    cancel_reason: str | None
    row: strawberry.Private[models.Salon]
    department_ids: strawberry.Private[list[int]]
    locale: strawberry.Private[str]
    formats: strawberry.Private[dict[str, Any]]

    @classmethod
    def of(cls, row: models.Salon, department_ids: list[int], locale: str, formats: dict[str, Any]) -> Salon:
        return cls(
            id=strawberry.ID(str(row.id)),
            month=Period.parse(row.month),
            status=SalonStatus(row.status),
            scheduled_at=row.scheduled_at,
            cancel_reason=row.cancel_reason,
            row=row,
            department_ids=department_ids,
            locale=locale,
            formats=formats,
        )

    def _texts(self) -> dict[str, Any]:
        texts = self.row.content.get("texts", {})
        return texts.get(self.locale) or next(iter(texts.values()), {})

    @strawberry.field
    def title(self) -> str:
        return self._texts().get("title", "")

    @strawberry.field
    def format(self) -> SalonFormat:
        return SalonFormat.of(self.row.format_key, self.formats, self.locale)

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

    @strawberry.field
    def topic(self) -> Topic:
        topic = self.row.topic
        titles = topic.get("titles", {})
        return Topic(
            kind=topic.get("kind", ""),
            skill=topic.get("skill"),
            severity=topic.get("severity", 0.0),
            title=titles.get(self.locale) or next(iter(titles.values()), ""),
            metric_code=topic.get("metric_code"),
        )

    @strawberry.field
    async def presenters(self, info: Info) -> list[Employee]:
        return await _people(info, self.row.content.get("presenters", []))

    @strawberry.field
    async def participants(self, info: Info) -> list[Employee]:
        return await _people(info, self.row.content.get("participants", []))

    @strawberry.field
    def groups(self) -> list[SalonGroup]:
        return [
            SalonGroup(name=translate("group.name", self.locale, number=number), member_ids=members)
            for number, members in enumerate(self.row.content.get("groups", []), start=1)
        ]

    @strawberry.field(description="The data pack: Vega-Lite specs every group works from.")
    def charts(self) -> list[Chart]:
        return [Chart(title=spec.get("title", ""), spec=spec) for spec in self._texts().get("charts", [])]

    @strawberry.field
    def questions(self) -> list[str]:
        return list(self._texts().get("questions", []))

    @strawberry.field
    def agenda(self) -> list[AgendaItem]:
        return [AgendaItem(title=i["title"], minutes=i["minutes"]) for i in self._texts().get("agenda", [])]
