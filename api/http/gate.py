"""The gate every request passes: who it is from (:class:`Authenticate`), and whether its body
may be read (:class:`RequestGuard`: size, CSRF protection for uploads).

Authentication covers every route but ``/healthz``, the login page and static assets. A request is let through with a valid token in ``Authorization: Bearer …`` or, for the browser
pages (GraphiQL, ``/import``), in the HttpOnly ``SameSite=Strict`` cookie the login form sets:
scripts cannot read it and other sites cannot make the browser send it. The verified claims go
to ``scope["state"]["claims"]``; what they allow is decided per request in ``api.viewer``.

A WebSocket to ``/graphql`` without a token is let through: browsers cannot set headers on a
socket, so its token may come in the protocol's ``connection_init`` message instead, and the
socket is closed there (4401) when none does (``api.http.websocket``).
"""

from __future__ import annotations

import json
import logging

from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.tokens import AuthError, Claims, Role, TokenVerifier

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
        return await self.verifier.verify_async(token)

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
        body = json.dumps(
            {"errors": [{"message": reason, "extensions": {"code": "UNAUTHENTICATED"}}]}
        ).encode()
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


PREFLIGHT_HEADERS = ("apollo-require-preflight", "graphql-require-preflight", "x-apollo-operation-name")


class _TooLarge(Exception):
    pass


async def _refuse(send: Send, status: int, message: str) -> None:
    """A request whose body will not be read: the caller's to fix (``BAD_USER_INPUT``)."""
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]}).encode()
    await send(
        {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]}
    )
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    """Refuses bodies over their limit (413) before they are parsed, whatever their framing,
    and multipart requests without a preflight header: a cross-site form can post multipart
    but cannot set a custom header, so an upload cannot be forged from another site.

    Only an HR admin's multipart request (an import) may be as large as ``max_import_bytes``;
    every other body — JSON queries, forms, anyone else's upload — gets ``max_bytes``, so no
    caller can make the server hold a 100 MiB JSON document. It runs after
    :class:`Authenticate`, which puts the verified claims in the scope."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_import_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_import_bytes = max_import_bytes

    def _limit(self, scope: Scope, multipart: bool) -> int:
        claims = scope.get("state", {}).get("claims")
        if multipart and isinstance(claims, Claims) and claims.role == Role.HR_ADMIN:
            return max(self.max_import_bytes, self.max_bytes)
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        multipart = headers.get("content-type", "").startswith("multipart/")
        limit = self._limit(scope, multipart)
        too_large = f"the request is larger than the limit of {limit:,} bytes"
        if limit < self.max_import_bytes:
            too_large += " (only HR admins' multipart imports may be larger)"
        declared = headers.get("content-length") or "0"
        if not declared.isdigit():
            await _refuse(send, 400, "the Content-Length header is not a number")
            return
        if int(declared) > limit:
            await _refuse(send, 413, too_large)
            return
        if multipart and not any(h in headers for h in PREFLIGHT_HEADERS):
            await _refuse(
                send,
                400,
                "multipart requests need the header 'Apollo-Require-Preflight: true' (CSRF protection)",
            )
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _refuse(send, 413, too_large)
