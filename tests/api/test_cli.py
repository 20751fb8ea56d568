"""The ``salon`` command, run as an operator runs it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from domain import migrate
from domain.db import make_engine
from domain.demo.generator import write_templates
from domain.demo.load import is_unfinished, load_demo
from domain.importing.service import run_import
from domain.importing.templates import ORDER
from domain.jobs import RECOMPUTE, create_job
from domain.models import Department, Job
from tests.api import org
from tests.conftest import DATABASES
from tests.support.processes import bearer, run_salon, salon_env, salon_server

SCHEMA_FILE = Path(__file__).parents[2] / "schema.graphql"
SECRET = "a-test-secret-that-is-long-enough-for-hs256"
QUERY = "{ departments { code name parent { code } } metrics { code direction } }"


def test_export_schema_prints_the_committed_schema():
    result = run_salon("export-schema", env=salon_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("variable", "value"), [("SALON_BROKER_URL", "kafka://localhost"), ("SALON_DATABASE_URL", "mysql://x/y")]
)
def test_a_bad_setting_stops_the_command_with_the_variable_named(variable, value):
    result = run_salon("db", "upgrade", env=salon_env(**{variable: value}))

    assert result.returncode != 0
    assert variable in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("empty_database_url", DATABASES, indirect=True)
def test_db_upgrade_brings_an_empty_database_to_head(empty_database_url):
    result = run_salon("db", "upgrade", env=salon_env(SALON_DATABASE_URL=empty_database_url))

    assert result.returncode == 0, result.stderr
    assert migrate.head_revision() in result.stdout
    engine = make_engine(empty_database_url)
    assert "observation" in inspect(engine).get_table_names()
    engine.dispose()


def test_worker_refuses_the_embedded_broker():
    result = run_salon("worker", env=salon_env(SALON_BROKER_URL="stub://"))

    assert result.returncode != 0
    assert "salon serve" in result.stderr


@pytest.mark.postgres
@pytest.mark.parametrize("empty_database_url", ["postgresql"], indirect=True)
def test_serve_refuses_a_postgres_database_that_is_behind(empty_database_url):
    result = run_salon("serve", "--port", "1", env=salon_env(SALON_DATABASE_URL=empty_database_url))

    assert result.returncode != 0
    assert "salon db upgrade" in result.stderr


def test_serve_starts_on_an_empty_sqlite_database_and_upgrades_it(tmp_path):
    env = salon_env(SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'new.db'}")

    with salon_server("serve", env=env) as base:
        response = httpx.post(f"{base}/graphql", json={"query": QUERY}, headers=bearer(env), timeout=10)
        anonymous = httpx.post(f"{base}/graphql", json={"query": QUERY}, timeout=10)

    assert response.json() == {"data": {"departments": [], "metrics": []}}
    assert (
        anonymous.status_code == 401 and "authentication required" in anonymous.json()["errors"][0]["message"]
    )


@pytest.mark.parametrize("empty_database_url", DATABASES, indirect=True)
def test_demo_creates_the_company_then_serves_it(empty_database_url, tmp_path):
    env = salon_env(SALON_DATABASE_URL=empty_database_url)

    headers = bearer(env)
    with salon_server("demo", env=env, cwd=tmp_path) as base:
        data = httpx.post(f"{base}/graphql", json={"query": QUERY}, headers=headers, timeout=10).json()[
            "data"
        ]
        console = httpx.get(f"{base}/graphql", headers={"Accept": "text/html", **headers}, timeout=10)

    codes = {d["code"] for d in data["departments"]}
    assert {"HQ", "PROD", "CS"} <= codes
    assert {"code": "defect_rate", "direction": "LOWER_IS_BETTER"} in data["metrics"]
    assert console.status_code == 200 and "graphiql" in console.text.lower()

    again = run_salon("demo", "--seed-only", env=env)
    assert again.returncode == 0 and "left as it is" in again.stderr


def _row_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in inspect(engine).get_table_names()
            if name not in ("alembic_version", "job")
        }


@pytest.mark.parametrize("empty_database_url", DATABASES, indirect=True)
def test_a_demo_load_cut_short_is_finished_by_the_next_demo(empty_database_url, tmp_path):
    """Killed after its third file, a load left those committed and no job; the next `salon demo`
    finishes it: the same rows as a load that ran through, and one recompute of everything."""
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    paths = write_templates(tmp_path / "files", 7)
    for kind in ORDER[:3]:
        run_import(engine, kind, paths[kind.value], paths[kind.value].name, secret=SECRET)
    whole = make_engine(f"sqlite:///{tmp_path / 'whole.db'}")
    migrate.upgrade(whole)
    load_demo(whole, secret=SECRET)
    env = salon_env(SALON_DATABASE_URL=empty_database_url, SALON_SECRET_KEY=SECRET)

    finished = run_salon("demo", "--seed-only", env=env, cwd=tmp_path, timeout=300)
    again = run_salon("demo", "--seed-only", env=env, cwd=tmp_path, timeout=300)

    assert finished.returncode == 0, finished.stderr
    assert "an interrupted demo load finished" in finished.stderr
    assert _row_counts(engine) == _row_counts(whole)
    with Session(engine) as session:
        (job,) = session.exec(select(Job)).all()
    assert (job.actor, job.args) == (RECOMPUTE, {"scope": None})
    assert again.returncode == 0 and "left as it is" in again.stderr
    engine.dispose()
    whole.dispose()


def test_data_that_is_not_the_demos_is_never_taken_for_an_unfinished_demo(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'salon.db'}")
    migrate.upgrade(engine)
    paths = write_templates(tmp_path / "files", 7)
    run_import(engine, ORDER[0], paths[ORDER[0].value], paths[ORDER[0].value].name, secret=SECRET)
    assert is_unfinished(engine)  # the demo's departments alone, no job: a load cut short

    with engine.begin() as connection:
        connection.execute(Department.__table__.insert(), [{"code": "OURS", "name": "Our own"}])
    assert not is_unfinished(engine)  # someone's department among them

    with engine.begin() as connection:
        connection.execute(Department.__table__.delete().where(Department.__table__.c.code == "OURS"))
    with Session(engine) as session:
        create_job(session, RECOMPUTE, {"scope": None})
        session.commit()
    assert not is_unfinished(engine)  # a job was queued: the load finished (or an import ran)
    engine.dispose()


@pytest.mark.parametrize("database_url", DATABASES, indirect=True)
def test_salon_token_checks_the_department_and_the_manager_against_the_database(database_url, engine):
    org.build(engine)
    env = salon_env(SALON_DATABASE_URL=database_url)

    def token(role: str, subject: str, department: str):
        return run_salon("token", "--role", role, "--subject", subject, "--department", department, env=env)

    unknown = token("service", "reports", "NOPE")
    stranger = token("manager", "C1", "PROD")  # works in CS, manages no one in PROD
    manager = token("manager", "P1", "HQ")  # manages P2, in HQ's subtree
    service = token("service", "reports", "PROD")

    assert (unknown.returncode, stranger.returncode) == (1, 1)
    assert "there is no department 'NOPE'" in unknown.stderr and not unknown.stdout
    assert "manages someone in department 'PROD' or works in it" in stranger.stderr and not stranger.stdout
    assert "Traceback" not in unknown.stderr + stranger.stderr
    assert manager.returncode == 0 and service.returncode == 0, manager.stderr + service.stderr


def test_salon_token_says_when_the_department_cannot_be_checked(tmp_path):
    missing = f"sqlite:///{tmp_path / 'none.db'}"  # no tables

    result = run_salon(
        "token",
        "--role",
        "manager",
        "--subject",
        "P1",
        "--department",
        "PROD",
        env=salon_env(SALON_DATABASE_URL=missing),
    )

    assert result.returncode == 1 and not result.stdout
    assert "the department cannot be checked" in result.stderr and "Traceback" not in result.stderr
