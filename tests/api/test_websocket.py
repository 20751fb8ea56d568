"""GraphQL over a WebSocket (``graphql-transport-ws``): the same authentication and scope as
HTTP, with the token in ``connection_init`` (browsers cannot set a socket's headers), in the
handshake's header, or in the sign-in cookie."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from api.tokens import mint
from tests.api import org
from tests.api.conftest import bearer

PROTOCOL = ["graphql-transport-ws"]
LOG = "{ auditLog(last: 5) { action } }"
DEPARTMENTS = "{ departments { code } }"
ADMIN = ("hr_admin", "hr-1")


@pytest.fixture
def company(make_client, database_url, engine) -> TestClient:
    """The small company, served to a client that sends no token (the socket carries its own)."""
    org.build(engine)
    return make_client(database_url, engine, role=None)


def token(client: TestClient, role: str, subject: str, department: str | None = None) -> str:
    return mint(client.app.state.settings, role, subject, department)


def ask(socket, query: str, operation_id: str = "1") -> dict:
    socket.send_json({"id": operation_id, "type": "subscribe", "payload": {"query": query}})
    message = socket.receive_json()
    if message["type"] == "next":
        assert socket.receive_json() == {"id": operation_id, "type": "complete"}
    return message


def opened(socket, payload: dict | None = None) -> None:
    socket.send_json({"type": "connection_init", **({"payload": payload} if payload is not None else {})})
    assert socket.receive_json()["type"] == "connection_ack"


def closed(client: TestClient, payload: dict | None, **connect) -> WebSocketDisconnect:
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect("/graphql", subprotocols=PROTOCOL, **connect) as socket:
            socket.send_json({"type": "connection_init", "payload": payload})
            socket.receive_json()
    return refused.value


@pytest.mark.parametrize("form", ["authorization", "token"])
def test_a_token_in_connection_init_authenticates_queries_and_mutations(company, form):
    admin = token(company, "hr_admin", "hr-1")
    payload = {"Authorization": f"Bearer {admin}"} if form == "authorization" else {"token": admin}

    with company.websocket_connect("/graphql", subprotocols=PROTOCOL) as socket:
        opened(socket, payload)
        departments = ask(socket, DEPARTMENTS)
        recompute = ask(socket, "mutation { recompute { status } }", "2")

    assert departments["payload"] == {
        "data": {"departments": [{"code": c} for c in ("CS", "HQ", "PROD", "PROD-A")]}
    }
    assert recompute["payload"]["data"]["recompute"]["status"]


def test_without_a_token_the_socket_is_closed_unauthorized(company):
    refused = closed(company, None)

    assert refused.code == 4401
    assert refused.reason.startswith("Unauthorized")


def test_an_invalid_token_or_a_manager_who_manages_nothing_is_forbidden(company):
    forged = closed(company, {"token": "not.a.token"})
    stranger = closed(company, {"token": token(company, "manager", "C1", "PROD")})

    assert (forged.code, stranger.code) == (4403, 4403)
    assert "not valid" in forged.reason
    assert "manage" in stranger.reason


def test_an_employee_over_a_socket_has_an_employees_scope(company):
    with company.websocket_connect("/graphql", subprotocols=PROTOCOL) as socket:
        opened(socket, {"token": token(company, "employee", "P2")})
        log = ask(socket, LOG)
        departments = ask(socket, DEPARTMENTS, "2")

    assert log["payload"]["errors"][0]["message"] == "auditLog is for hr_admin only"
    assert log["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert departments["payload"] == {"data": {"departments": [{"code": "PROD"}]}}


def test_each_operation_on_a_socket_is_audited_once(company, engine):
    manager = token(company, "manager", "P1", "PROD")
    with company.websocket_connect("/graphql", subprotocols=PROTOCOL) as socket:
        opened(socket, {"token": manager})
        for n in range(3):
            ask(socket, '{ employee(id: "P2") { name } }', str(n))

    log = company.post("/graphql", json={"query": LOG}, headers=bearer(company.app.state.settings, *ADMIN))
    actions = [e["action"] for e in log.json()["data"]["auditLog"]]
    assert actions == ["read:Employee"] * 3


def test_the_handshake_header_or_the_sign_in_cookie_authenticates_too(company):
    with company.websocket_connect(
        "/graphql", subprotocols=PROTOCOL, headers=bearer(company.app.state.settings, "employee", "C1")
    ) as socket:
        opened(socket)
        by_header = ask(socket, DEPARTMENTS)
    company.post("/login", data={"token": token(company, "manager", "P1", "PROD")}, follow_redirects=False)
    with company.websocket_connect("/graphql", subprotocols=PROTOCOL) as socket:
        opened(socket, {})
        by_cookie = ask(socket, DEPARTMENTS)

    assert by_header["payload"] == {"data": {"departments": [{"code": "CS"}]}}
    assert by_cookie["payload"] == {"data": {"departments": [{"code": "PROD"}, {"code": "PROD-A"}]}}


def test_operations_before_connection_init_and_the_legacy_protocol_are_refused(company):
    with pytest.raises(WebSocketDisconnect) as early:
        with company.websocket_connect("/graphql", subprotocols=PROTOCOL) as socket:
            socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": DEPARTMENTS}})
            socket.receive_json()
    with pytest.raises(WebSocketDisconnect) as legacy:
        with company.websocket_connect("/graphql", subprotocols=["graphql-ws"]) as socket:
            socket.receive_json()

    assert early.value.code == 4401
    assert legacy.value.code == 4406


def test_too_deep_or_non_unicode_messages_close_the_socket_as_invalid(company):
    deep = '{"type": "connection_init", "payload": {"token": ' + "[" * 100_000 + "}"
    surrogate = '{"type": "connection_init", "payload": {"token": "\\ud800"}}'
    codes = []
    for message in (deep, surrogate):
        with pytest.raises(WebSocketDisconnect) as refused:
            with company.websocket_connect("/graphql", subprotocols=PROTOCOL) as socket:
                socket.send_text(message)
                socket.receive_json()
        codes.append(refused.value.code)

    assert codes == [4400, 4400]
