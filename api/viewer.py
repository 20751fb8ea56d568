"""The viewer's scope — who may see what: the request's ``Viewer``, the ``WHERE`` clauses that
enforce it, and the cache of resolved viewers. ("Scope" here is the viewer's permission scope;
not a recompute's ``RebuildScope`` (``workers.scoping``), nor Starlette's ASGI ``scope``.)

The viewer's scope is applied in the SQL (``where_viewer_sees_departments``,
``where_viewer_sees_individuals``), never by filtering rows after they were read, so a
forgotten filter cannot leak a row that was never fetched.

- ``hr_admin``: everything.
- ``manager``: the department subtree of their ``department`` claim, individuals included —
  when the organisation agrees that they manage there (:func:`manager_refusal`); otherwise
  nothing, and every request is refused.
- ``employee``: their own individual data; aggregates of their own department.
- ``service``: aggregates of its ``department`` claim's subtree (all departments without one);
  no individual-level data.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from graphql import GraphQLError
from sqlalchemy import ColumnElement, false, or_
from sqlmodel import Session, col, select

from api.tokens import Claims, Role
from domain import models
from domain.organisation import DepartmentTree


class PermissionDenied(GraphQLError):
    """An expected refusal: its message says why and is shown to the client as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "FORBIDDEN"})


@dataclass(frozen=True)
class Viewer:
    """Who is asking, and their scope: ``None`` department ids mean unrestricted; an empty set
    means nothing."""

    subject: str
    role: Role
    department_ids: frozenset[int] | None  # aggregates: gaps, needs, rankings, the directory
    individual_department_ids: frozenset[int] | None  # people's data in these departments
    employee_row_id: int | None = None  # the viewer's own employee row, if they are one
    refusal: str | None = None  # why this token grants nothing at all: each request is refused

    @property
    def actor(self) -> str:
        return f"{self.role.value}:{self.subject}"

    @property
    def is_admin(self) -> bool:
        return self.role is Role.HR_ADMIN

    def sees_department(self, department_id: int) -> bool:
        return self.department_ids is None or department_id in self.department_ids

    def sees_individuals_of(self, department_id: int) -> bool:
        ids = self.individual_department_ids
        return ids is None or department_id in ids

    def sees_employee(self, employee_row_id: int, department_id: int) -> bool:
        return employee_row_id == self.employee_row_id or self.sees_individuals_of(department_id)

    def sees_feedback_author(self, department_id: int) -> bool:
        """Named feedback: its department's managers and HR admins; anonymous: nobody, ever."""
        return self.is_admin or (self.role is Role.MANAGER and self.sees_individuals_of(department_id))

    @property
    def sees_salon_people(self) -> bool:
        """Who is in a salon (names and roles) is for people of the organisation, not services."""
        return self.role is not Role.SERVICE

    @property
    def sees_small_segments(self) -> bool:
        return self.is_admin

    def require(self, *roles: Role, action: str) -> None:
        if self.role not in roles:
            allowed = " or ".join(r.value for r in roles)
            raise PermissionDenied(f"{action} is for {allowed} only")


def _in(column, ids: frozenset[int]) -> ColumnElement[bool]:
    return col(column).in_(sorted(ids)) if ids else false()


def viewer_department_condition(viewer: Viewer, department_column) -> ColumnElement[bool] | None:
    """The condition limiting ``department_column`` to the viewer's departments (None: no limit)."""
    if viewer.department_ids is None:
        return None
    return _in(department_column, viewer.department_ids)


def where_viewer_sees_departments(statement, viewer: Viewer, department_column):
    """``statement`` limited to rows of departments the viewer may see aggregates of.

    Other areas (salons, plans) call this with their own department column.
    """
    condition = viewer_department_condition(viewer, department_column)
    return statement if condition is None else statement.where(condition)


def where_viewer_sees_individuals(statement, viewer: Viewer, department_column, employee_column):
    """``statement`` limited to people's rows the viewer may see: their departments' people, and
    their own rows (``employee_column`` = the viewer's employee row)."""
    if viewer.individual_department_ids is None:
        return statement
    conditions = [_in(department_column, viewer.individual_department_ids)]
    if viewer.employee_row_id is not None:
        conditions.append(col(employee_column) == viewer.employee_row_id)
    return statement.where(or_(*conditions))


def viewer_plan_condition(viewer: Viewer) -> ColumnElement[bool] | None:
    """Which improvement plans the viewer sees (None: all). Plans are read by department like
    aggregates — HR all, managers their subtree, services theirs (without the people) — except
    by employees, who see the plans they own or are members of (a plan names people), as does
    anyone on a plan outside their scope (a host's member of another department's plan)."""
    plan = models.ImprovementPlan
    conditions = []
    if viewer.role is not Role.EMPLOYEE:
        by_department = viewer_department_condition(viewer, plan.department_id)
        if by_department is None:
            return None
        conditions.append(by_department)
    if (me := viewer.employee_row_id) is not None:
        member_of = select(models.PlanMember.plan_id).where(models.PlanMember.employee_id == me)
        conditions += [col(plan.owner_id) == me, col(plan.id).in_(member_of)]
    return or_(*conditions) if conditions else false()


def where_viewer_sees_plans(statement, viewer: Viewer):
    """``statement`` (over ``ImprovementPlan``) limited by :func:`viewer_plan_condition`."""
    condition = viewer_plan_condition(viewer)
    return statement if condition is None else statement.where(condition)


def _employee(session: Session, subject: str) -> models.Employee | None:
    return session.exec(select(models.Employee).where(models.Employee.employee_id == subject)).first()


def manager_refusal(session: Session, subject: str, department: str | None) -> str | None:
    """Why ``subject`` may not act as the manager of ``department``, or None when they may.

    A token's claims are not enough (a token minted for the wrong person, or an identity
    provider's role for someone who manages nothing here): the subject must be a current,
    not erased employee who is the direct manager (``manager_id``) of someone in the
    department's subtree, or who works in the department itself. The same rule holds for
    tokens from ``salon token`` and from an OIDC issuer.
    """
    return _manager_refusal(session, _employee(session, subject), DepartmentTree.read(session), department)


def _manager_refusal(
    session: Session, me: models.Employee | None, tree: DepartmentTree, department: str | None
) -> str | None:
    refusal = (
        f"a manager's token must name an employee who manages someone in department {department!r} "
        "or works in it"
    )
    departments = tree.subtree(department)
    if not departments:
        return f"{refusal}; there is no such department"
    if me is None or me.erased_at is not None:
        return f"{refusal}; the token's subject is no current employee"
    if me.department_id == tree.ids.get(department):
        return None
    managed = session.exec(
        select(models.Employee.id)
        .where(models.Employee.manager_id == me.id, col(models.Employee.department_id).in_(departments))
        .limit(1)
    ).first()
    return None if managed is not None else f"{refusal}; the token's subject does neither"


def resolve_viewer(session: Session, claims: Claims) -> Viewer:
    """The viewer of a request, from its verified claims and the organisation as it is now.

    An employee id or department code that does not exist (any more) grants nothing; a
    manager who does not manage there (:func:`manager_refusal`) is refused outright. At most
    three queries (a manager's: who they are, the tree, whether they manage someone there);
    the app keeps the answer a few seconds per token (:class:`ViewerCache`).
    """
    if claims.role is Role.HR_ADMIN:
        return Viewer(claims.subject, claims.role, None, None)
    if claims.role is Role.SERVICE:
        if claims.department is None:
            return Viewer(claims.subject, claims.role, None, frozenset())
        subtree = DepartmentTree.read(session).subtree(claims.department)
        return Viewer(claims.subject, claims.role, subtree, frozenset())
    me = _employee(session, claims.subject)
    own_row = me.id if me else None
    if claims.role is Role.EMPLOYEE:
        departments = frozenset({me.department_id}) if me else frozenset()
        return Viewer(claims.subject, claims.role, departments, frozenset(), own_row)
    tree = DepartmentTree.read(session)
    if refusal := _manager_refusal(session, me, tree, claims.department):
        return Viewer(claims.subject, claims.role, frozenset(), frozenset(), own_row, refusal)
    subtree = tree.subtree(claims.department)
    return Viewer(claims.subject, claims.role, subtree, subtree, own_row)


MAX_ENTRIES = 1024  # concurrent users of one process; more only costs a re-resolve


class ViewerCache:
    """Resolved viewers, kept a few seconds per token's claims (``SALON_VIEWER_CACHE_SECONDS``).

    A client sends the same token with every request, and resolving it reads the organisation (the
    subject's row, the department tree, whom a manager manages). Keeping the answer for a short
    time saves those reads; the price is that an organisation change (a manager removed, an
    employee moved) reaches tokens already seen only when their entry expires — at most the
    setting's seconds later. An entry never outlives its token's ``exp``.

    The key is the verified claims (subject, role, department, expiry), never the raw token: the
    viewer depends on nothing else, and a cache holding no token cannot leak one. Bounded (least
    recently used entries go first) and safe to share between threads.
    """

    def __init__(
        self,
        seconds: float,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Claims, tuple[float, Viewer]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, claims: Claims) -> Viewer | None:
        """The viewer resolved for ``claims`` less than ``seconds`` ago, if any."""
        with self._lock:
            entry = self._entries.get(claims)
            if entry is None:
                return None
            if entry[0] <= self._clock():
                del self._entries[claims]
                return None
            self._entries.move_to_end(claims)
            return entry[1]

    def put(self, claims: Claims, viewer: Viewer) -> None:
        if self.seconds <= 0:
            return
        now = self._clock()
        until = min(now + self.seconds, claims.expires.timestamp())
        if until <= now:
            return
        with self._lock:
            self._entries[claims] = (until, viewer)
            self._entries.move_to_end(claims)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
