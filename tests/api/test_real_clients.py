"""Clients nobody here wrote, against the real server (``salon demo`` in a subprocess): the
Python ``gql`` client over HTTP (httpx) and over WebSockets (``graphql-transport-ws``, the token
in ``connection_init`` as browsers send it), and graphql-http's server audit run by Node
(``tests/api/graphql_http_audit.mjs``; skipped only without ``node``)."""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportError, TransportQueryError
from gql.transport.httpx import HTTPXTransport
from gql.transport.websockets import WebsocketsTransport
from sqlmodel import Session, col, select

from domain.db import make_engine
from domain.models import Job, JobStatus
from tests.support.jobs import wait_for_job
from tests.support.processes import mint_token, salon_env, salon_server

ROOT = Path(__file__).parents[2]
AUDIT = ROOT / "tests" / "api" / "graphql_http_audit.mjs"
DEPARTMENT = """query Department($code: String!, $period: Period!) {
  department(code: $code) { id code name gaps(period: $period, first: 2) { id monthsCovered } } }"""
GAPS = 'query Gaps($period: Period!) { department(code: "PROD") { gaps(period: $period) { id } } }'
RECOMPUTE = "mutation { recompute { id status } }"
JOB_UPDATED = "subscription Follow($id: ID!) { jobUpdated(id: $id) { id status attempts startedAt finishedAt error result } }"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """The demo served on a free port, once its first recompute has finished (the server answers
    before: gaps would be empty); its base URL and an HR admin's token."""
    folder = tmp_path_factory.mktemp("clients")
    url = f"sqlite:///{folder / 'demo.db'}"
    env = salon_env(SALON_DATABASE_URL=url)
    with salon_server("demo", env=env, cwd=folder, timeout=180) as base:
        engine = make_engine(url)
        with Session(engine) as session:
            (seed,) = session.exec(
                select(Job.id).where(col(Job.parent_id).is_(None))
            ).all()  # its parts aside
        assert wait_for_job(engine, seed, timeout=180).status == JobStatus.SUCCEEDED
        engine.dispose()
        yield base, mint_token(env)


def http_client(base: str, token: str) -> Client:
    return Client(
        transport=HTTPXTransport(url=f"{base}/graphql", headers={"Authorization": f"Bearer {token}"})
    )


def test_gql_runs_a_query_with_variables(server):
    base, token = server
    with http_client(base, token) as session:
        result = session.execute(
            GraphQLRequest(DEPARTMENT, variable_values={"code": "PROD", "period": "2026-Q3"})
        )

    department = result["department"]
    assert department["id"] == "Department:PROD" and department["code"] == "PROD"
    assert department["gaps"] and all(gap["id"].startswith("Gap:") for gap in department["gaps"])


def test_gql_reads_the_error_code_of_a_bad_variable(server):
    base, token = server
    with http_client(base, token) as session, pytest.raises(TransportQueryError) as raised:
        session.execute(GraphQLRequest(GAPS, variable_values={"period": "2026-13"}))

    (error,) = raised.value.errors
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "2026-13" in error["message"]


def test_gql_follows_a_job_over_graphql_transport_ws(server):
    base, token = server
    with http_client(base, token) as session:
        job = session.execute(GraphQLRequest(RECOMPUTE))["recompute"]
    transport = WebsocketsTransport(
        url=base.replace("http://", "ws://") + "/graphql",
        init_payload={"Authorization": f"Bearer {token}"},  # connection_init, as graphql-ws sends it
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )

    async def follow() -> tuple[list[dict], str | None]:
        async with Client(transport=transport) as live:
            request = GraphQLRequest(JOB_UPDATED, variable_values={"id": job["id"]})
            updates = [update["jobUpdated"] async for update in live.subscribe(request)]
        return updates, transport.subprotocol

    updates, protocol = asyncio.run(asyncio.wait_for(follow(), timeout=120))

    assert protocol == "graphql-transport-ws"
    assert {u["id"] for u in updates} == {job["id"]}
    assert updates[-1]["status"] == "SUCCEEDED"  # the stream ends once the job has finished
    # each update is a change of what the client sees (a running recompute also changes when it fans out)
    assert all(before != after for before, after in itertools.pairwise(updates))
    assert [u["status"] for u in updates].index("SUCCEEDED") == len(updates) - 1


def test_gql_is_refused_a_socket_without_a_token(server):
    base, _ = server
    transport = WebsocketsTransport(
        url=base.replace("http://", "ws://") + "/graphql",
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )

    async def follow() -> list[dict]:
        async with Client(transport=transport) as live:
            request = GraphQLRequest(JOB_UPDATED, variable_values={"id": "no-such-job"})
            return [update async for update in live.subscribe(request)]

    with pytest.raises(TransportError) as raised:
        asyncio.run(asyncio.wait_for(follow(), timeout=60))
    closed = raised.value.__cause__  # the socket's close frame, as the websockets library read it
    assert closed.rcvd.code == 4401 and closed.rcvd.reason.startswith("Unauthorized: send the token"), repr(
        closed
    )


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_the_graphql_http_audit_passes_without_warnings(server):
    if not (ROOT / "node_modules" / "graphql-http").exists():
        pytest.fail("graphql-http is not installed: run `npm ci` (make test does when npm is on PATH)")
    base, token = server
    result = subprocess.run(
        ["node", str(AUDIT), f"{base}/graphql"],
        env={**salon_env(), "SALON_AUDIT_TOKEN": token},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["ok"] > 50 and counts["warn"] == 0 and counts["error"] == 0, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
