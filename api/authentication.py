"""The gate in front of every route but ``/healthz``, the login page and static assets.

A request is let through with a valid token in ``Authorization: Bearer …`` or, for the browser
pages (GraphiQL, ``/import``), in the HttpOnly ``SameSite=Strict`` cookie the login form sets:
scripts cannot read it and other sites cannot make the browser send it. The verified claims go
to ``scope["state"]["claims"]``; what they allow is decided per request in ``api.permissions``.

A WebSocket to ``/graphql`` without a token is let through: browsers cannot set headers on a
socket, so its token may come in the protocol's ``connection_init`` message instead, and the
socket is closed there (4401) when none does (``api.websocket``).
"""

from __future__ import annotations

import json
import logging

from anyio import to_thread
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import AuthError, Claims, TokenVerifier

log = logging.getLogger(__name__)
COOKIE = "salon_token"
PUBLIC_PATHS = frozenset({"/", "/healthz", "/login", "/logout", "/favicon.ico"})
PUBLIC_PREFIXES = ("/static/",)  # the console's vendored assets: no data
SOCKET_AUTHENTICATED_PATHS = frozenset({"/graphql"})  # authenticated by their connection_init


def bearer_token(connection: HTTPConnection) -> str | None:
    authorization = connection.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return connection.cookies.get(COOKIE) or None


def _wants_html(headers: Headers, method: str) -> bool:
    return method == "GET" and "text/html" in headers.get("accept", "")


class Authenticate:
    def __init__(self, app: ASGIApp, verifier: TokenVerifier) -> None:
        self.app = app
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self._public(scope["path"]):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        if (
            scope["type"] == "websocket"
            and scope["path"] in SOCKET_AUTHENTICATED_PATHS
            and bearer_token(connection) is None
        ):
            await self.app(scope, receive, send)
            return
        try:
            claims = await self._claims(connection)
        except AuthError as error:
            log.info("refused %s %s: %s", scope.get("method", "WS"), scope["path"], error)
            await self._refuse(scope, send, connection, str(error))
            return
        scope.setdefault("state", {})["claims"] = claims
        await self.app(scope, receive, send)

    @staticmethod
    def _public(path: str) -> bool:
        return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)

    async def _claims(self, connection: HTTPConnection) -> Claims:
        token = bearer_token(connection)
        if token is None:
            raise AuthError(
                "authentication required: send 'Authorization: Bearer <token>' (see `salon token`)"
            )
        return await to_thread.run_sync(self.verifier.verify, token)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, connection: HTTPConnection, reason: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4401, "reason": reason[:120]})
            return
        if _wants_html(connection.headers, scope["method"]):
            target = scope["path"] if scope["path"] in ("/graphql", "/import") else "/graphql"
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [(b"location", f"/login?next={target}".encode())],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        body = json.dumps({"errors": [{"message": reason}]}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"www-authenticate", b'Bearer realm="salon"'),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
