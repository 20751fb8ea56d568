"""Error masking: a caller learns why a request was refused, never how the server failed.

Shown as they are: parse and validation errors (limits included), errors raised as
``GraphQLError`` (permission classes) and :class:`domain.errors.UserError` — whose ``field``, a
domain name, is shown as the argument it came from (:func:`user_message`). An unavailable
database and a value the database refused each get one fixed message. Anything else becomes
"internal error" with the request id; the log has the same id next to the traceback. Errors
are logged here, once, with that id — the schema's own logging
(:meth:`SalonSchema.process_errors`) is switched off.

Every error carries ``extensions.code``, one of :data:`CODES` (a client branches on it, never on
the words), and is answered in a JSON body, refusals before execution (401, 413…) included.
"""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from starlette.responses import JSONResponse
from strawberry.extensions import MaskErrors
from strawberry.utils.str_converters import to_camel_case

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

CODES = {
    "UNAUTHENTICATED": "no valid token (HTTP 401, or the socket closed with 4401)",
    "FORBIDDEN": "the viewer's role or scope does not allow it",
    "NOT_FOUND": "nothing of that id where the viewer may see it",
    "BAD_USER_INPUT": "an argument or variable is malformed or unknown (the message names it), "
    "or the request itself cannot be read",
    "CONFLICT": 'well formed, but the current state does not allow it ("salon 3 is CANCELLED")',
    "GRAPHQL_VALIDATION_FAILED": "the document does not parse or does not fit the schema",
    "QUERY_TOO_COMPLEX": "a limit refused the document: size, depth, aliases or estimated cost",
    "DATABASE_UNAVAILABLE": "the database is down or busy: retry shortly",
    "INTERNAL_ERROR": "an unexpected failure; ``requestId`` ties it to the server's log",
}
"""The documented ``extensions.code`` values (docs/errors.md lists them too)."""


class TooComplex(GraphQLError):
    """A document refused by a limit (:mod:`api.limits`, :mod:`api.validation`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "QUERY_TOO_COMPLEX"})


class Refused(Exception):
    """A request refused before it runs, answered as a GraphQL error with its ``code``."""

    def __init__(self, status: int, message: str, code: str, request_id: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.request_id = status, message, code, request_id

    def response(self) -> JSONResponse:
        extensions = {"code": self.code}
        headers = None
        if self.request_id:
            extensions["requestId"] = self.request_id
            headers = {"X-Request-ID": self.request_id}
        body = {"errors": [{"message": self.message, "extensions": extensions}]}
        return JSONResponse(body, status_code=self.status, headers=headers)


def refused_before_execution(error: Exception, request_id: str, what: str) -> Refused:
    """The answer to a failure before any resolver ran (resolving the viewer): the same masked
    words and log line as an error inside the operation, as a whole-request refusal."""
    if is_database_unavailable(error):
        log.warning("request %s: database unavailable while %s (%s)", request_id, what, type(error).__name__)
        return Refused(503, DATABASE_UNAVAILABLE, "DATABASE_UNAVAILABLE", request_id)
    log.error("request %s: internal error while %s", request_id, what, exc_info=error)
    return Refused(500, INTERNAL_ERROR, "INTERNAL_ERROR", request_id)


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
            code = (error.extensions or {}).get("code") or _code_of(error)
            if code == "FORBIDDEN":  # names the person asked for: audited, not logged
                log.debug("request %s refused: not in the viewer's scope", request_id)
            else:
                log.debug("request %s refused: %s", request_id, error.message)
            if (error.extensions or {}).get("code"):
                return error
            return _with(error, error.message, {**(error.extensions or {}), "code": code})
        if isinstance(original, UserError):
            log.info("request %s refused: %s", request_id, original)
            message = error.message.replace(str(original), user_message(original))  # keeps "Variable …"
            return _with(error, message, {"code": original.code})
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


def _code_of(error: GraphQLError) -> str:
    """The code of an error graphql-core raised itself: a variable that does not coerce is the
    caller's input; one raised while executing (a non-null field that came back null) a fault;
    anything else (syntax, an unknown field, a wrong argument literal) a document that does not
    fit the schema."""
    if "tokens. Parsing aborted" in error.message:  # the token limit stops the parser itself
        return "QUERY_TOO_COMPLEX"
    if error.message.startswith("Variable '$"):
        return "BAD_USER_INPUT"
    if error.path is not None:
        return "INTERNAL_ERROR"
    return "GRAPHQL_VALIDATION_FAILED"


def user_message(error: UserError) -> str:
    """A domain error in the client's words: its ``field`` (``department_codes``) named as the
    argument (``departmentCodes``), by the conversion the schema names arguments with."""
    return error.named(to_camel_case)


def _with(error: GraphQLError, message: str, extensions: dict) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )
