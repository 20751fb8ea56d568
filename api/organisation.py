"""The organisation of the root ``Query``: departments and employees, as far as the viewer sees."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import bindparam
from sqlmodel import col, select

from api.audit import refuse
from api.context import Info
from api.types.department import Department
from api.types.employee import Employee
from api.viewer import where_viewer_sees_departments, where_viewer_sees_individuals
from domain import models

_DEPARTMENT_BY_CODE = select(models.Department).where(
    models.Department.code == bindparam("code")
)  # built once


def _known(info: Info, rows: list[models.Department]) -> None:
    """Departments read in the viewer's scope, handed to ``department_by_id``: the fields below
    look them up again (a gap's audited drivers name their department) and need not read them."""
    loader = info.context.loaders.department_by_id
    for row in rows:
        loader.prime(row.id, row)


@strawberry.type
class OrganisationQuery:
    @strawberry.field(description="Every department the viewer may see, by code.")
    async def departments(self, info: Info) -> list[Department]:
        viewer = info.context.viewer
        statement = where_viewer_sees_departments(
            select(models.Department).order_by(col(models.Department.code)), viewer, models.Department.id
        )
        rows = await info.context.read(lambda s: s.exec(statement).all())
        _known(info, rows)
        return [Department.from_row(row) for row in rows]

    @strawberry.field(
        description="One department by its code; null when there is none, an error when it is outside "
        "the viewer's scope."
    )
    async def department(
        self, info: Info, code: Annotated[str, strawberry.argument(description="The department's code.")]
    ) -> Department | None:
        viewer = info.context.viewer
        statement = where_viewer_sees_departments(_DEPARTMENT_BY_CODE, viewer, models.Department.id)
        row = await info.context.read(lambda s: s.exec(statement, params={"code": code}).first())
        if row is None and viewer.department_ids is not None:
            raise refuse(info, "Department", f"department:{code}", f"no department {code!r} in your scope")
        if row is None:
            return None
        _known(info, [row])
        return Department.from_row(row)

    @strawberry.field(
        description="One employee by their employee id; null when there is none, an error when they are "
        "outside the viewer's scope (audited)."
    )
    async def employee(
        self,
        info: Info,
        id: Annotated[str, strawberry.argument(description="The employee id.")],  # noqa: A002  (the contract's name)
    ) -> Employee | None:
        viewer = info.context.viewer
        statement = where_viewer_sees_individuals(
            select(models.Employee).where(models.Employee.employee_id == id),
            viewer,
            models.Employee.department_id,
            models.Employee.id,
        )
        row = await info.context.read(lambda s: s.exec(statement).first())
        if row is None and viewer.individual_department_ids is not None:
            raise refuse(info, "Employee", f"employee:{id}", f"no employee {id!r} in your scope")
        if row is not None:
            info.context.audit("read:Employee", f"employee:{id}")
        return Employee.from_row(row) if row else None
