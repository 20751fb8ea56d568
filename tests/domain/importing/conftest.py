"""An organisation to import against, on SQLite and PostgreSQL, and helpers to build files."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, MetaData, select

from domain.importing.service import ImportReport, run_import
from domain.importing.templates import ImportKind

DEPARTMENTS = "code,name,parent_code\nHQ,总部,\nPROD,生产部,HQ\nCS,客服部,HQ\n"
EMPLOYEES = (
    "employee_id,name,department_code,hire_date,email,team,level,manager_id\n"
    "E1,王芳,PROD,2020-03-01,e1@example.com,一组,M1,\n"
    "E2,李强,PROD,2026-06-15,e2@example.com,一组,P2,E1\n"
    "E3,张伟,CS,2019-01-10,,二组,P3,\n"
)
METRICS = (
    "code,name,unit,direction,aggregation,skill\n"
    "defect_rate,不良率,%,lower,ratio,quality_control\n"
    "handling_hours,投诉处理时长,小时,lower,mean,\n"
)


SECRET = "import-test-secret"  # SALON_SECRET_KEY of these tests: feedback fingerprints are keyed with it


def csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def do_import(
    engine: Engine, kind: str, text: str | bytes, name: str | None = None, **options
) -> ImportReport:
    content = csv(text) if isinstance(text, str) else text
    options.setdefault("secret", SECRET)
    return run_import(engine, ImportKind(kind), content, name or f"{kind}.csv", **options)


@pytest.fixture
def org(engine) -> Engine:
    """Given departments, employees and metrics already imported."""
    for kind, text in (("departments", DEPARTMENTS), ("employees", EMPLOYEES), ("metrics", METRICS)):
        report = do_import(engine, kind, text)
        assert report.applied and not report.errors, report.errors
    return engine


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, ordered: equal snapshots mean nothing was written."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: sorted(map(tuple, connection.execute(select(table)).all()), key=repr)
            for name, table in metadata.tables.items()
            if name != "alembic_version"
        }
