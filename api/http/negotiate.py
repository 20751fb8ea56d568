"""GraphQL over HTTP's media type: a client that accepts ``application/graphql-response+json``
gets it, with the status codes that type carries — a request that never ran (it does not parse,
validate or pass a limit: no ``data``) is a 4xx, so a client tells "your request is wrong" from
"some fields failed" by the status alone. Other clients get ``application/json`` and 200 as
before (the spec's legacy behaviour)."""

from __future__ import annotations

import json

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MEDIA_TYPE = "application/graphql-response+json"


class GraphQLResponseType:
    def __init__(self, app: ASGIApp, path: str = "/graphql") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] != self.path
            or MEDIA_TYPE not in Headers(scope=scope).get("accept", "")
        ):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await self._send(start, b"".join(chunks), send)

        await self.app(scope, receive, buffered)

    @staticmethod
    async def _send(start: Message, body: bytes, send: Send) -> None:
        headers = MutableHeaders(raw=list(start["headers"]))
        status = start["status"]
        if headers.get("content-type", "").startswith("application/json"):
            headers["content-type"] = MEDIA_TYPE
            try:
                answer = json.loads(body)
            except ValueError:
                answer = None
            if isinstance(answer, dict) and answer.get("data") is None and answer.get("errors"):
                if all("path" not in error for error in answer["errors"]):  # the request never ran
                    answer.pop("data", None)
                    status = status if status >= 400 else 400
                    body = json.dumps(answer).encode()
            headers["content-length"] = str(len(body))
        await send({**start, "status": status, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body})
