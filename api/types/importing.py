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
    DEPARTMENTS = strawberry.enum_value(
        DomainImportKind.DEPARTMENTS.value, description="Org units: code, name, parent code."
    )
    EMPLOYEES = strawberry.enum_value(
        DomainImportKind.EMPLOYEES.value,
        description="People: employee id, name, department, hire date, team, level, manager.",
    )
    METRICS = strawberry.enum_value(
        DomainImportKind.METRICS.value,
        description="KPI definitions: code, name, unit, direction, aggregation, skill.",
    )
    TARGETS = strawberry.enum_value(
        DomainImportKind.TARGETS.value, description="Targets per metric, department and period."
    )
    OBSERVATIONS = strawberry.enum_value(
        DomainImportKind.OBSERVATIONS.value,
        description="KPI values per metric, period, department and (optionally) employee.",
    )
    REVIEWS = strawberry.enum_value(
        DomainImportKind.REVIEWS.value, description="Appraisal scores per employee and cycle."
    )
    FEEDBACK = strawberry.enum_value(
        DomainImportKind.FEEDBACK.value, description="Free-text feedback with theme tags."
    )
    LABELS = strawberry.enum_value(
        DomainImportKind.LABELS.value,
        description="Display names of metrics, skills, tags and departments per language.",
    )
    GROWTH = strawberry.enum_value(
        DomainImportKind.GROWTH.value,
        description="Growth-archive entries: training, assessments, wishes, awards, promotions.",
    )


@strawberry.type(name="ImportError", description="One problem with an import file.")
class ImportProblemType:
    row: int = strawberry.field(
        description="The row as a spreadsheet shows it (header = 1); 0 = the file as a whole."
    )
    column: str | None = strawberry.field(description="The column, or null for the whole row.")
    message: str = strawberry.field(description="What is wrong.")


@strawberry.type(description="What an import did, or would do (dry run), and every problem found.")
class ImportReport:
    kind: ImportKind = strawberry.field(description="What the file held.")
    rows_read: int = strawberry.field(description="Data rows read (the header aside).")
    inserted: int = strawberry.field(description="Rows new to the database.")
    updated: int = strawberry.field(description="Rows that changed stored ones.")
    unchanged: int = strawberry.field(description="Rows equal to what was stored.")
    rejected: int = strawberry.field(description="Rows with at least one error.")
    applied: bool = strawberry.field(description="Whether anything was written.")
    dry_run: bool = strawberry.field(description="Validated only: nothing written.")
    checksum: str = strawberry.field(
        description="SHA-256 of the normalised valid rows: equal for the same data in any format, encoding or header language."
    )
    errors: list[ImportProblemType] = strawberry.field(description="Every problem found, by row and column.")
    warnings: list[str] = strawberry.field(description="What was read but not used (e.g. ignored columns).")
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
