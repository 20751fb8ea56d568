"""Error masking: a caller learns why a request was refused, never how the server failed.

Shown as they are: parse and validation errors (limits included), errors raised as
``GraphQLError`` (permission classes) and :class:`domain.errors.UserError`. An unavailable
database and a value the database refused each get one fixed message. Anything else becomes
"internal error" with the request id; the log has the same id next to the traceback. Errors
are logged here, once, with that id — the schema's own logging
(:meth:`SalonSchema.process_errors`) is switched off.
"""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from starlette.responses import JSONResponse
from strawberry.extensions import MaskErrors

from domain.errors import (
    DATABASE_UNAVAILABLE,
    VALUE_REFUSED,
    UserError,
    is_database_unavailable,
    is_value_refused,
    new_reference,
)

log = logging.getLogger(__name__)
INTERNAL_ERROR = "internal error"


class Refused(Exception):
    """A request refused before it runs, answered as a GraphQL error with its ``code``."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code

    def response(self) -> JSONResponse:
        body = {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}
        return JSONResponse(body, status_code=self.status)


class SalonSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Nothing: :class:`ErrorMasking` logs each error with the request id."""


class ErrorMasking(MaskErrors):
    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        request_id = getattr(self.execution_context.context, "request_id", None) or new_reference()
        return [self._mask(error, request_id) for error in errors]

    def _mask(self, error: GraphQLError, request_id: str) -> GraphQLError:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            if (error.extensions or {}).get(
                "code"
            ) == "FORBIDDEN":  # names the person asked for: audited, not logged
                log.debug("request %s refused: not in the viewer's scope", request_id)
            else:
                log.debug("request %s refused: %s", request_id, error.message)
            return error
        if isinstance(original, UserError):
            log.info("request %s refused: %s", request_id, original)
            return _with(error, error.message, {"code": "BAD_USER_INPUT"})  # names the variable too
        if is_database_unavailable(original):
            log.warning("request %s: database unavailable (%s)", request_id, type(original).__name__)
            return _with(
                error, DATABASE_UNAVAILABLE, {"code": "DATABASE_UNAVAILABLE", "requestId": request_id}
            )
        if is_value_refused(original):
            log.info("request %s refused by the database: %s", request_id, type(original.orig).__name__)
            return _with(error, VALUE_REFUSED, {"code": "BAD_USER_INPUT"})
        log.error("request %s: internal error at %s", request_id, error.path, exc_info=original)
        return _with(error, INTERNAL_ERROR, {"code": "INTERNAL_ERROR", "requestId": request_id})


def _with(error: GraphQLError, message: str, extensions: dict[str, str]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )
