"""The ``salon`` command, run as an operator runs it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import inspect

from domain import migrate
from domain.db import make_engine
from tests.api import org
from tests.conftest import DATABASES
from tests.support.processes import bearer, run_salon, salon_env, salon_server

SCHEMA_FILE = Path(__file__).parents[2] / "schema.graphql"
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
