"""ASGI guards in front of ``/graphql``: request size, and CSRF protection for uploads."""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
    """Refuses bodies over ``max_bytes`` (413) before they are parsed, whatever their framing,
    and multipart requests without a preflight header: a cross-site form can post multipart
    but cannot set a custom header, so an upload cannot be forged from another site."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        too_large = f"the request is larger than the limit of {self.max_bytes:,} bytes"
        if int(headers.get("content-length") or 0) > self.max_bytes:
            await _refuse(send, 413, too_large)
            return
        if headers.get("content-type", "").startswith("multipart/") and not any(
            h in headers for h in PREFLIGHT_HEADERS
        ):
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
            if received > self.max_bytes:
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
