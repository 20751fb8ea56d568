"""The ASGI guard in front of every route: request size, and CSRF protection for uploads."""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import Claims, Role

PREFLIGHT_HEADERS = ("apollo-require-preflight", "graphql-require-preflight", "x-apollo-operation-name")


class _TooLarge(Exception):
    pass


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"errors": [{"message": message}]}).encode()
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
    :class:`api.authentication.Authenticate`, which puts the verified claims in the scope."""

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
