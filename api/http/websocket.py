"""GraphQL over a WebSocket (``graphql-transport-ws``), authenticated as HTTP requests are.

Browsers cannot set headers on a WebSocket, so the token may come in the ``connection_init``
payload — ``{"Authorization": "Bearer …"}`` or ``{"token": "…"}`` — as well as in the
handshake's header or cookie (``Authenticate`` lets a socket to ``/graphql`` through without
one, to be authenticated here). Neither: the socket is closed with 4401 Unauthorized; a token
that is not valid, or a viewer refused outright: 4403 Forbidden, with the reason. The viewer is
resolved from the claims as for HTTP, so the same viewer's scope applies.

Strawberry keeps one context per socket; each operation on it runs with a fresh
:class:`~api.context.Context` (its own DataLoaders, audit events and request id), as each HTTP
request does, and none runs once the token has expired.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.websockets import WebSocket
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler

from api.context import Context
from api.tokens import AuthError, Claims
from api.viewer import Viewer

log = logging.getLogger(__name__)
INTERNAL_ERROR = 1011
UNAUTHORIZED = 4401
FORBIDDEN = 4403
NO_TOKEN = (
    "Unauthorized: send the token in the connection_init payload "
    '({"Authorization": "Bearer <token>"}) or sign in (see `salon token`)'
)


class _NoToken(Exception):
    pass


def _payload_token(payload: dict[str, Any]) -> str | None:
    token = payload.get("token")
    authorization = payload.get("Authorization", payload.get("authorization"))
    if isinstance(authorization, str):
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer":
            raise AuthError("the connection_init 'Authorization' must be 'Bearer <token>'")
    if token is None:
        return None
    if not isinstance(token, str) or not token.strip():
        raise AuthError("the connection_init token must be a non-empty string")
    return token.strip()


@dataclass
class Connection:
    """A socket's context for Strawberry: who is connected, and how to make an operation's
    :class:`Context` once they are known."""

    websocket: WebSocket
    verify: Callable[[str], Awaitable[Claims]]
    resolve: Callable[[Claims], Awaitable[Viewer]]
    new_context: Callable[[Viewer], Context]
    connection_params: dict[str, Any] = field(default_factory=dict)
    claims: Claims | None = None
    viewer: Viewer | None = None

    async def authenticate(self, payload: dict[str, Any]) -> None:
        """The claims of the payload's token, else of the handshake's; the viewer they make."""
        token = _payload_token(payload)
        if token is not None:
            claims = await self.verify(token)
        else:
            claims = self.websocket.scope.get("state", {}).get("claims")
            if claims is None:
                raise _NoToken
        viewer = await self.resolve(claims)
        if viewer.refusal:
            raise AuthError(viewer.refusal)
        self.claims, self.viewer = claims, viewer

    @property
    def expired(self) -> bool:
        return self.claims is None or self.claims.expires <= datetime.now(UTC)

    def operation_context(self) -> Context:
        assert self.viewer is not None  # the handler runs no operation before connection_ack
        return self.new_context(self.viewer)


class _OperationContexts:
    """The schema as the handler sees it: each ``stream`` (one operation) gets a new Context."""

    def __init__(self, schema: Any, connection: Connection) -> None:
        self._schema = schema
        self._connection = connection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._schema, name)

    async def stream(self, *args: Any, context_value: Any = None, **kwargs: Any) -> Any:
        return await self._schema.stream(*args, context_value=self._connection.operation_context(), **kwargs)


def _reason(text: str) -> str:
    return text.encode()[:123].decode(errors="ignore")  # a close frame's reason holds 123 bytes


class AuthenticatedTransportWS(BaseGraphQLTransportWSHandler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = _OperationContexts(self.schema, self.context)

    async def handle_connection_init(self, message: Any) -> None:
        if message.get("payload") is None:
            message = {**message, "payload": {}}  # the protocol's payload is optional
        payload = message["payload"]
        if isinstance(payload, dict) and not (self.connection_init_received or self.connection_timed_out):
            try:
                await self.context.authenticate(payload)
            except _NoToken:
                await self.websocket.close(code=UNAUTHORIZED, reason=_reason(NO_TOKEN))
                return
            except AuthError as error:
                await self.websocket.close(code=FORBIDDEN, reason=_reason(f"Forbidden: {error}"))
                return
            except Exception:  # noqa: BLE001  (the database, most likely; the log has the traceback)
                log.exception("a WebSocket could not be authenticated")
                await self.websocket.close(code=INTERNAL_ERROR, reason="internal error")
                return
        await super().handle_connection_init(message)

    async def handle_subscribe(self, message: Any) -> None:
        if self.connection_acknowledged and self.context.expired:
            await self.websocket.close(code=UNAUTHORIZED, reason="Unauthorized: the token has expired")
            return
        await super().handle_subscribe(message)
