from __future__ import annotations

from enum import Enum

import strawberry

from api.context import Info
from api.types.job import Job
from domain import models
from domain.importing import service
from domain.importing.templates import ImportKind as DomainImportKind


@strawberry.enum(description="What an import file holds (one template each).")
class ImportKind(Enum):
    DEPARTMENTS = DomainImportKind.DEPARTMENTS.value
    EMPLOYEES = DomainImportKind.EMPLOYEES.value
    METRICS = DomainImportKind.METRICS.value
    TARGETS = DomainImportKind.TARGETS.value
    OBSERVATIONS = DomainImportKind.OBSERVATIONS.value
    REVIEWS = DomainImportKind.REVIEWS.value
    FEEDBACK = DomainImportKind.FEEDBACK.value
    LABELS = DomainImportKind.LABELS.value
    GROWTH = DomainImportKind.GROWTH.value


@strawberry.type(name="ImportError", description="One problem with an import file.")
class ImportProblemType:
    row: int = strawberry.field(
        description="The row as a spreadsheet shows it (header = 1); 0 = the file as a whole."
    )
    column: str | None
    message: str


@strawberry.type(description="What an import did, or would do (dry run), and every problem found.")
class ImportReport:
    kind: ImportKind
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int = strawberry.field(description="Rows with at least one error.")
    applied: bool = strawberry.field(description="Whether anything was written.")
    dry_run: bool
    checksum: str = strawberry.field(
        description="SHA-256 of the normalised valid rows: equal for the same data in any format, encoding or header language."
    )
    errors: list[ImportProblemType]
    warnings: list[str]
    job_id: strawberry.Private[str | None]

    @strawberry.field(description="The recomputation this import enqueued, if it changed anything.")
    async def job(self, info: Info) -> Job | None:
        if self.job_id is None:
            return None
        row = await info.context.read(lambda s: s.get(models.Job, self.job_id))
        return Job.from_row(row) if row else None

    @classmethod
    def from_report(cls, report: service.ImportReport) -> ImportReport:
        return cls(
            kind=ImportKind(report.kind.value),
            rows_read=report.rows_read,
            inserted=report.counts.inserted,
            updated=report.counts.updated,
            unchanged=report.counts.unchanged,
            rejected=report.rejected,
            applied=report.applied,
            dry_run=report.dry_run,
            checksum=report.checksum,
            errors=[ImportProblemType(row=e.row, column=e.column, message=e.message) for e in report.errors],
            warnings=report.warnings,
            job_id=report.job_id,
        )
