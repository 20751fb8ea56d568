"""Imports of the root ``Mutation``: one EHR export in, its validation report out."""

from __future__ import annotations

from typing import Annotated

import strawberry
from anyio import to_thread
from strawberry.file_uploads import Upload

from api.context import Info
from api.tokens import Role
from api.types.importing import ImportKind, ImportReport
from domain.importing.recompute import import_and_recompute
from domain.importing.service import FILE_ROW, ImportProblem
from domain.importing.service import ImportReport as DomainReport
from domain.importing.templates import ImportKind as DomainImportKind
from workers.relay import send_now


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        description="Import one EHR export (CSV or XLSX). Validated whole first: by default any invalid row means "
        "nothing is written; `partial` writes the valid rows; `dryRun` only validates and counts."
    )
    async def import_data(
        self,
        info: Info,
        kind: Annotated[ImportKind, strawberry.argument(description="What the file holds.")],
        file: Annotated[Upload, strawberry.argument(description="The CSV or XLSX file.")],
        dry_run: Annotated[
            bool | None, strawberry.argument(description="Validate only: write nothing.")
        ] = False,
        partial: Annotated[
            bool | None, strawberry.argument(description="Write the valid rows even when others are invalid.")
        ] = False,
    ) -> ImportReport:
        info.context.viewer.require(Role.HR_ADMIN, action="importData")
        settings = info.context.settings
        dry_run, partial = bool(dry_run), bool(partial)
        domain_kind = DomainImportKind(kind.value)
        info.context.audit(
            "mutation:importData", f"kind:{domain_kind.value}"
        )  # its report says what was refused
        content = await file.read(settings.import_max_bytes + 1)
        if len(content) > settings.import_max_bytes:
            report = DomainReport(kind=domain_kind, file_name=file.filename or "", dry_run=dry_run)
            limit = f"the file is larger than the limit of {settings.import_max_bytes:,} bytes"
            report.errors.append(ImportProblem(FILE_ROW, None, limit))
            return ImportReport.from_report(report)
        report = await to_thread.run_sync(
            lambda: import_and_recompute(
                info.context.engine,
                settings,
                domain_kind,
                content,
                file.filename or f"{domain_kind.value}.csv",
                send=send_now,
                dry_run=dry_run,
                partial=partial,
            )
        )
        return ImportReport.from_report(report)
