"""Per-request DataLoaders of what follows a salon: outcomes, practices, plans and their
progress, and a person's salons and plans (``Loaders.plans``).

Plans are read through the viewer's plan scope (``where_viewer_sees_plans``) and salons
through theirs (``visible_salons``), in the SQL. A few loaders read what a visible row needs to
show whoever may see that row — a department's code and name, a salon's month, the names of a
plan's people — and say so; the people's records still come through ``employee_by_id``, which
applies the viewer's scope.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, col, or_, select

from api.batching import Reader, SalonPersonRecord, by_key, grouped, lazy_loader
from api.viewer import PermissionDenied, where_viewer_sees_plans
from domain.models import (
    Department,
    Employee,
    ImprovementPlan,
    PlanEffect,
    PlanMember,
    PlanProgress,
    PlanStatus,
    Salon,
    SalonAttendee,
    SalonOutcome,
)
from domain.notifications.reminders import Reminder, reminders_of
from domain.organisation import DepartmentTree
from domain.salons import store
from domain.salons.content import SalonContent

if TYPE_CHECKING:
    from api.viewer import Viewer

SalonRows = tuple[Salon, list[int]]  # a salon and the departments that attend it


@dataclass(frozen=True)
class PersonSalon:
    """A salon one person is in, and how."""

    salon: Salon
    department_ids: list[int]
    invited: bool
    presenting: bool
    attended: bool


class PlanLoaders:
    named_department_by_id = lazy_loader("_named_departments_by_id")
    named_person_by_id = lazy_loader("_named_people_by_id")
    salon_by_id = lazy_loader("_salons_by_id")
    salon_month_by_id = lazy_loader("_salon_months_by_id")
    outcome_by_salon_id = lazy_loader("_outcomes_by_salon_id")
    attendee_ids_by_salon_id = lazy_loader("_attendee_ids_by_salon_id")
    plans_by_salon_id = lazy_loader("_plans_by_salon_id")
    plans_by_employee_id = lazy_loader("_plans_by_employee_id")
    member_ids_by_plan_id = lazy_loader("_member_ids_by_plan_id")
    progress_by_plan_id = lazy_loader("_progress_by_plan_id")
    effect_by_plan_id = lazy_loader("_effects_by_plan_id")
    reminder_by_plan_id = lazy_loader("_reminders_by_plan_id")
    effect_by_practice = lazy_loader("_effects_by_practice")
    salons_by_employee_id = lazy_loader("_salons_by_employee_id")
    salons_by_department_month = lazy_loader("_salons_by_department_month")

    def __init__(self, read: Reader, viewer: Viewer) -> None:
        self._read = read
        self._viewer = viewer

    async def _named_departments_by_id(self, ids: list[int]) -> list[Department | None]:
        """Any department: a visible plan, practice or effect names its departments to whoever
        may see it. Nested reads (employees, gaps…) go through the scoped loaders."""
        rows = await self._read(lambda s: s.exec(select(Department).where(col(Department.id).in_(ids))).all())
        return by_key(rows, ids, lambda d: d.id)

    async def _named_people_by_id(self, ids: list[int]) -> list[SalonPersonRecord | None]:
        """A plan's people by name, as a salon's: callers decide who sees the names."""
        statement = select(
            Employee.employee_id, Employee.name, Employee.team, Employee.department_id, Employee.id
        ).where(col(Employee.id).in_(ids))
        rows = await self._read(lambda s: s.exec(statement).all())
        return by_key([SalonPersonRecord(*row) for row in rows], ids, lambda p: p.row_id)

    def _salon_rows(self, session: Session, department_ids, **filters) -> list[SalonRows]:
        rows = store.visible_salons(session, department_ids=department_ids, **filters)
        links = store.attending_department_ids(session, [r.id for r in rows])
        return [(row, links[row.id]) for row in rows]

    async def _salons_by_department_month(
        self, keys: list[tuple[int, str, str]]
    ) -> list[list[SalonRows] | PermissionDenied]:
        """Keys are (department row id, code, month): the salons each department attends or
        hosts in the month, as ``salons(month, departmentCode)`` lists them — two statements a
        month for any number of departments. A department outside the viewer's scope is refused
        as that query refuses it (its code in the message)."""
        months = sorted({month for _, _, month in keys})
        wanted = sorted({i for i, _, _ in keys if self._viewer.sees_department(i)})

        def query(session: Session) -> dict[str, list[SalonRows]]:
            return (
                {month: self._salon_rows(session, wanted, month=month) for month in months} if wanted else {}
            )

        found = await self._read(query)
        return [
            [(row, links) for row, links in found.get(month, []) if row.host_department_id == i or i in links]
            if self._viewer.sees_department(i)
            else PermissionDenied(f"no department {code!r} in your scope")
            for i, code, month in keys
        ]

    async def _salons_by_id(self, ids: list[int]) -> list[SalonRows | None]:
        rows = await self._read(lambda s: self._salon_rows(s, self._viewer.department_ids, salon_ids=ids))
        return by_key(rows, ids, lambda r: r[0].id)

    async def _salon_months_by_id(self, ids: list[int]) -> list[str | None]:
        """Any salon's month: where a visible plan's milestones start."""
        statement = select(Salon.id, Salon.month).where(col(Salon.id).in_(ids))
        rows = await self._read(lambda s: s.exec(statement).all())
        found = dict(rows)
        return [found.get(i) for i in ids]

    async def _outcomes_by_salon_id(self, ids: list[int]) -> list[SalonOutcome | None]:
        """Callers hold a visible salon."""
        statement = select(SalonOutcome).where(col(SalonOutcome.salon_id).in_(ids))
        rows = await self._read(lambda s: s.exec(statement).all())
        return by_key(rows, ids, lambda o: o.salon_id)

    async def _attendee_ids_by_salon_id(self, ids: list[int]) -> list[list[int]]:
        """Employee row ids; callers hold a visible salon and read the records scoped."""
        statement = (
            select(SalonAttendee)
            .where(col(SalonAttendee.salon_id).in_(ids))
            .order_by(col(SalonAttendee.employee_id))
        )
        rows = await self._read(lambda s: s.exec(statement).all())
        return [[a.employee_id for a in group] for group in grouped(rows, ids, lambda a: a.salon_id)]

    def _plans(self, statement):
        return where_viewer_sees_plans(statement.order_by(col(ImprovementPlan.id)), self._viewer)

    async def _plans_by_salon_id(self, ids: list[int]) -> list[list[ImprovementPlan]]:
        statement = self._plans(select(ImprovementPlan).where(col(ImprovementPlan.salon_id).in_(ids)))
        rows = await self._read(lambda s: s.exec(statement).all())
        return grouped(rows, ids, lambda p: p.salon_id)

    async def _plans_by_employee_id(self, ids: list[int]) -> list[list[ImprovementPlan]]:
        """The plans each person owns or is a member of, as far as the viewer sees plans."""
        membership = select(PlanMember).where(col(PlanMember.employee_id).in_(ids))
        member_of = select(PlanMember.plan_id).where(col(PlanMember.employee_id).in_(ids))
        statement = self._plans(
            select(ImprovementPlan).where(
                or_(col(ImprovementPlan.owner_id).in_(ids), col(ImprovementPlan.id).in_(member_of))
            )
        )

        def query(session: Session):
            return session.exec(statement).all(), session.exec(membership).all()

        plans, members = await self._read(query)
        on_plan = defaultdict(set)
        for member in members:
            on_plan[member.employee_id].add(member.plan_id)
        return [[p for p in plans if p.owner_id == i or p.id in on_plan[i]] for i in ids]

    async def _member_ids_by_plan_id(self, ids: list[int]) -> list[list[int]]:
        """Employee row ids; callers hold a visible plan and read the records scoped."""
        statement = (
            select(PlanMember).where(col(PlanMember.plan_id).in_(ids)).order_by(col(PlanMember.employee_id))
        )
        rows = await self._read(lambda s: s.exec(statement).all())
        return [[m.employee_id for m in group] for group in grouped(rows, ids, lambda m: m.plan_id)]

    async def _progress_by_plan_id(self, ids: list[int]) -> list[list[PlanProgress]]:
        statement = (
            select(PlanProgress).where(col(PlanProgress.plan_id).in_(ids)).order_by(col(PlanProgress.period))
        )
        rows = await self._read(lambda s: s.exec(statement).all())
        return grouped(rows, ids, lambda p: p.plan_id)

    async def _reminders_by_plan_id(self, ids: list[int]) -> list[Reminder]:
        found = await self._read(lambda s: reminders_of(s, ids))
        return [found[plan_id] for plan_id in ids]

    async def _effects_by_plan_id(self, ids: list[int]) -> list[PlanEffect | None]:
        rows = await self._read(
            lambda s: s.exec(select(PlanEffect).where(col(PlanEffect.plan_id).in_(ids))).all()
        )
        return by_key(rows, ids, lambda e: e.plan_id)

    async def _effects_by_practice(self, keys: list[tuple[int, int, int | None]]) -> list[PlanEffect | None]:
        """Keys are (salon_id, department_id, metric_id): the effect of the plan that followed
        the salon in that department on that metric — the earliest one not cancelled. Callers
        hold a visible practice; the effect is an aggregate of its department."""
        salon_ids = sorted({salon_id for salon_id, _, _ in keys})
        statement = (
            select(
                ImprovementPlan.salon_id, ImprovementPlan.department_id, ImprovementPlan.metric_id, PlanEffect
            )
            .join(PlanEffect, col(PlanEffect.plan_id) == col(ImprovementPlan.id))
            .where(
                col(ImprovementPlan.salon_id).in_(salon_ids),
                ImprovementPlan.status != PlanStatus.CANCELLED.value,
            )
            .order_by(col(ImprovementPlan.id))
        )
        rows = await self._read(lambda s: s.exec(statement).all())
        first: dict[tuple, PlanEffect] = {}
        for salon_id, department_id, metric_id, effect in rows:
            first.setdefault((salon_id, department_id, metric_id), effect)
        return [first.get(key) for key in keys]

    async def _salons_by_employee_id(self, ids: list[int]) -> list[list[PersonSalon]]:
        """The salons each person is invited to, presents at or attended, newest first.

        A person's salons are their own data: callers check the viewer may read the person
        (``Employee._check``: themselves, their managers, HR), and every salon they are in is
        shown — one of a department above theirs too, which salon lists leave out. A salon's
        people work in its departments or its host (or below them), so only the salons of a
        person's department and the departments above it are read, and their people compared."""
        return await self._read(lambda s: self._person_salons(s, ids))

    def _person_salons(self, session: Session, ids: list[int]) -> list[list[PersonSalon]]:
        people = session.exec(
            select(Employee.id, Employee.employee_id, Employee.department_id).where(col(Employee.id).in_(ids))
        ).all()
        attended = session.exec(select(SalonAttendee).where(col(SalonAttendee.employee_id).in_(ids))).all()
        parents = DepartmentTree.read(session).parents()
        around = set()
        for _, _, department_id in people:
            while department_id is not None:
                around.add(department_id)
                department_id = parents.get(department_id)
        rows = {row.id: (row, links) for row, links in self._salon_rows(session, around)} if around else {}
        if missing := {a.salon_id for a in attended} - rows.keys():
            rows.update(
                {row.id: (row, links) for row, links in self._salon_rows(session, None, salon_ids=missing)}
            )
        came = {(a.employee_id, a.salon_id) for a in attended}
        code = {row_id: employee_id for row_id, employee_id, _ in people}
        contents = {salon_id: SalonContent.from_json(row.content) for salon_id, (row, _) in rows.items()}
        found = []
        for i in ids:
            mine = []
            for salon_id, (row, links) in rows.items():
                content = contents[salon_id]
                invited = code.get(i) in content.participants or any(code.get(i) in g for g in content.groups)
                presenting = code.get(i) in content.presenters
                if invited or presenting or (i, salon_id) in came:
                    mine.append(PersonSalon(row, links, invited, presenting, (i, salon_id) in came))
            found.append(sorted(mine, key=lambda p: (p.salon.month, p.salon.id), reverse=True))
        return found
