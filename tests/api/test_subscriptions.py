"""Live updates over ``graphql-transport-ws``: ``jobUpdated`` sends a job's state as it changes
(read by polling, so a worker in another process is seen), with the query's scope rules and a
limit on operations per socket. The client speaks the protocol's messages as a browser's
``graphql-ws`` does, token in ``connection_init``."""

from __future__ import annotations

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from api import subscriptions
from api.app import MAX_SUBSCRIPTIONS
from api.tokens import mint
from domain import models
from domain.models.base import utcnow

PROTOCOL = ["graphql-transport-ws"]
JOB_UPDATED = "subscription($id: ID!) { jobUpdated(id: $id) { id status error } }"


@pytest.fixture
def anonymous(make_client, database_url, engine, monkeypatch) -> TestClient:
    monkeypatch.setattr(subscriptions, "POLL_SECONDS", 0.05)
    return make_client(database_url, engine, role=None)


def queued_job(engine) -> str:
    """A job the test moves by hand: marked sent, so the app's relay does not hand it to the
    in-process worker (which would run it to SUCCEEDED between the test's own changes)."""
    with Session(engine) as session:
        job = models.Job(actor="recompute", status=models.JobStatus.QUEUED.value, sent_at=utcnow())
        session.add(job)
        session.commit()
        return job.id


def set_status(engine, job_id: str, status: str, error: str | None = None) -> None:
    with Session(engine) as session:
        job = session.get(models.Job, job_id)
        job.status, job.error = status, error
        session.add(job)
        session.commit()


def connect(client: TestClient, role: str, subject: str, department: str | None = None):
    socket = client.websocket_connect("/graphql", subprotocols=PROTOCOL).__enter__()
    token = mint(client.app.state.settings, role, subject, department)
    socket.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    assert socket.receive_json()["type"] == "connection_ack"
    return socket


def subscribe(socket, operation_id: str, job_id: str) -> None:
    socket.send_json(
        {
            "id": operation_id,
            "type": "subscribe",
            "payload": {"query": JOB_UPDATED, "variables": {"id": job_id}},
        }
    )


def test_job_updated_sends_each_change_until_the_job_has_finished(anonymous, engine):
    job_id = queued_job(engine)
    socket = connect(anonymous, "hr_admin", "hr-1")
    try:
        subscribe(socket, "1", job_id)
        first = socket.receive_json()
        set_status(engine, job_id, models.JobStatus.RUNNING.value)
        second = socket.receive_json()
        set_status(engine, job_id, models.JobStatus.FAILED.value, error="boom")
        third = socket.receive_json()
        done = socket.receive_json()
    finally:
        socket.__exit__(None, None, None)

    assert first == {
        "id": "1",
        "type": "next",
        "payload": {"data": {"jobUpdated": {"id": job_id, "status": "QUEUED", "error": None}}},
    }
    assert second["payload"]["data"]["jobUpdated"]["status"] == "RUNNING"
    assert third["payload"]["data"]["jobUpdated"] == {"id": job_id, "status": "FAILED", "error": "boom"}
    assert done == {"id": "1", "type": "complete"}


def test_job_updated_follows_the_query_scope_and_names_an_unknown_job(anonymous, engine):
    job_id = queued_job(engine)
    employee = connect(anonymous, "employee", "E1", "SALES")
    admin = connect(anonymous, "hr_admin", "hr-1")
    try:
        subscribe(employee, "1", job_id)
        refused = employee.receive_json()
        subscribe(admin, "2", "no-such-job")
        missing = admin.receive_json()
    finally:
        employee.__exit__(None, None, None)
        admin.__exit__(None, None, None)

    errors = refused["payload"]["errors"] if refused["type"] == "next" else refused["payload"]
    assert errors[0]["extensions"]["code"] == "FORBIDDEN", refused
    missing_errors = missing["payload"]["errors"] if missing["type"] == "next" else missing["payload"]
    assert missing_errors[0]["extensions"]["code"] == "NOT_FOUND", missing


def test_a_socket_holds_at_most_the_limit_of_live_subscriptions(anonymous, engine):
    job_id = queued_job(engine)
    socket = connect(anonymous, "hr_admin", "hr-1")
    try:
        for index in range(MAX_SUBSCRIPTIONS):
            subscribe(socket, str(index), job_id)
            assert socket.receive_json()["type"] == "next"
        subscribe(socket, "one-too-many", job_id)
        refused = socket.receive_json()
    finally:
        socket.__exit__(None, None, None)

    assert refused["type"] == "error" and refused["id"] == "one-too-many"
    assert "limit" in refused["payload"][0]["message"].lower()
