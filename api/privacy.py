"""The audit log and personal-data rights on the GraphQL API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from anyio import to_thread
from strawberry.scalars import JSON

from api.connections import AFTER, DEFAULT_PAGE, PAGE_SIZE, Connection, sql_page
from api.context import Info
from api.tokens import Role
from api.types.audit import AuditEntry, Erasure
from api.viewer import PermissionDenied
from domain import audit, privacy
from domain.db import session_scope
from domain.errors import InvalidArgument


@strawberry.type
class PrivacyQuery:
    @strawberry.field(
        description="The latest audit entries, newest first (hr_admin only; 1 to SALON_MAX_PAGE_SIZE)."
    )
    async def audit_log(
        self,
        info: Info,
        last: Annotated[
            int | None,
            strawberry.argument(description="How many of the latest entries (1 to SALON_MAX_PAGE_SIZE)."),
        ] = 100,
    ) -> list[AuditEntry]:
        info.context.viewer.require(Role.HR_ADMIN, action="auditLog")
        last = 100 if last is None else last
        most = info.context.settings.max_page_size  # larger values are refused before this runs
        if not 1 <= last <= most:
            raise InvalidArgument(f"last: must be between 1 and {most}, got {last}")
        rows = await info.context.read(lambda s: audit.latest(s, last))
        return [AuditEntry.from_row(row) for row in rows]

    @strawberry.field(
        description="The audit log a page at a time, newest first (hr_admin only; Relay connection), narrowed "
        "by who, what, whom and when."
    )
    async def audit_log_connection(
        self,
        info: Info,
        first: PAGE_SIZE = DEFAULT_PAGE,
        after: AFTER = None,
        actor: Annotated[str | None, strawberry.argument(description="Only this `role:subject`.")] = None,
        action: Annotated[
            str | None,
            strawberry.argument(
                description="Only entries with an action starting so (`read:`, `mutation:planMonth`)."
            ),
        ] = None,
        subject: Annotated[
            str | None,
            strawberry.argument(
                description="Only entries concerning `employee:<id>` or `department:<code>`."
            ),
        ] = None,
        since: Annotated[
            datetime | None, strawberry.argument(description="Only entries at or after this time.")
        ] = None,
        until: Annotated[
            datetime | None, strawberry.argument(description="Only entries before this time.")
        ] = None,
    ) -> Connection[AuditEntry]:
        info.context.viewer.require(Role.HR_ADMIN, action="auditLog")
        for name, value in (("since", since), ("until", until)):
            if value is not None and value.tzinfo is None:
                raise InvalidArgument(f"{name}: needs a time zone (e.g. 2026-12-03T14:00:00+08:00)")
        statement = audit.filtered(actor=actor, action=action, subject=subject, since=since, until=until)
        return await sql_page(info.context.read, statement, first, after, AuditEntry.from_row)

    @strawberry.field(
        description="Everything stored about one employee, as JSON: for hr_admin, and for the employee "
        "themselves (right of access). Null when there is no such employee. Audited."
    )
    async def export_personal_data(
        self, info: Info, employee_id: Annotated[str, strawberry.argument(description="The employee id.")]
    ) -> JSON | None:
        viewer = info.context.viewer
        if not (viewer.is_admin or (viewer.employee_row_id is not None and viewer.subject == employee_id)):
            info.context.audit("denied:exportPersonalData", f"employee:{employee_id}")
            raise PermissionDenied("exportPersonalData is for hr_admin, or for the employee themselves")
        data = await info.context.read(lambda s: privacy.export_personal_data(s, employee_id))
        info.context.audit("read:exportPersonalData", f"employee:{employee_id}")
        return data


@strawberry.type
class PrivacyMutation:
    @strawberry.mutation(
        description="Pseudonymise an employee: name and email, the feedback they wrote and their growth "
        "notes; scores, KPI values and theme tags stay, so every aggregate is unchanged (hr_admin only)."
    )
    async def erase_personal_data(
        self, info: Info, employee_id: Annotated[str, strawberry.argument(description="The employee id.")]
    ) -> Erasure | None:
        context = info.context
        context.viewer.require(Role.HR_ADMIN, action="erasePersonalData")

        def erase():
            with session_scope(context.engine) as session:
                return privacy.erase_personal_data(session, employee_id, context.settings.secret_key)

        result = await to_thread.run_sync(erase)
        context.audit("mutation:erasePersonalData", f"employee:{employee_id}")
        if result is None:
            return None
        return Erasure(
            employee_id=result.employee_id,
            pseudonym=result.pseudonym,
            feedback_erased=result.feedback_erased,
            notes_erased=result.notes_erased,
        )
