"""The organisation as rules read it: the department tree, and who belongs where.

A department's people are those of its subtree (a sub-department's staff belong to it too),
which is also how a manager's scope reads (``api.viewer``). Salons and plans name people by
their ``employee_id``; :func:`people_in` is the one check that they exist and belong.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from domain.errors import InvalidArgument
from domain.models import Department, Employee

SHOWN = 10  # ids named in a refusal; the count says how many more


@dataclass(frozen=True)
class DepartmentTree:
    """The department tree, read in one query."""

    children: dict[int | None, list[int]]
    ids: dict[str, int]  # by code

    @classmethod
    def read(cls, session: Session) -> DepartmentTree:
        rows = session.exec(select(Department.id, Department.parent_id, Department.code)).all()
        children: dict[int | None, list[int]] = defaultdict(list)
        for row_id, parent_id, _ in rows:
            children[parent_id].append(row_id)
        return cls(children, {code: row_id for row_id, _, code in rows})

    def subtree(self, code: str | None) -> frozenset[int]:
        """The department with ``code`` and everything below it (empty when it does not exist)."""
        root = self.ids.get(code) if code is not None else None
        return frozenset() if root is None else self.below([root])

    def parents(self) -> dict[int, int]:
        """Each department's parent, for those that have one."""
        return {
            child: parent for parent, kids in self.children.items() if parent is not None for child in kids
        }

    def below(self, roots: Iterable[int]) -> frozenset[int]:
        """The departments ``roots`` and everything below them."""
        found: set[int] = set()
        stack = list(roots)
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(self.children.get(current, ()))
        return frozenset(found)


def _named(ids: list[str]) -> str:
    more = f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
    return ", ".join(repr(i) for i in ids[:SHOWN]) + more


def people_in(
    session: Session,
    employee_ids: Collection[str],
    department_ids: Collection[int],
    *,
    field: str,
    whose: str,
) -> dict[str, Employee]:
    """The current employees with ``employee_ids``, by id, when every one of them works in one of
    ``department_ids``; otherwise a refusal naming ``field`` and the ids at fault (unknown or
    erased first, then those who work elsewhere — ``whose`` says where they should)."""
    wanted = list(dict.fromkeys(employee_ids))
    if not wanted:
        return {}
    rows = session.exec(select(Employee).where(col(Employee.employee_id).in_(wanted))).all()
    found = {row.employee_id: row for row in rows if row.erased_at is None}
    if unknown := [i for i in wanted if i not in found]:
        raise InvalidArgument(f"no current employee: {_named(unknown)}", field=field)
    allowed = set(department_ids)
    if outside := [i for i in wanted if found[i].department_id not in allowed]:
        raise InvalidArgument(f"outside {whose}: {_named(outside)}", field=field)
    return {i: found[i] for i in wanted}
