"""Which failures a caller may read about, and the safe text for all others.

Only a :class:`UserError` (a problem the caller can fix), an unavailable database and a value
the database refused say what went wrong (the last two in fixed words); anything else is unexpected and becomes "internal error" with a reference
that is also logged next to the traceback, so no SQL, driver name, path or personal data
crosses the boundary (the GraphQL response, a Job's ``error``).
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Callable

from sqlalchemy import exc as sa_exc

DATABASE_UNAVAILABLE = "the database is unavailable or busy; try again shortly"
VALUE_REFUSED = "a value was refused by the database (e.g. a NUL character or a number out of range)"


class UserError(Exception):
    """A problem the caller can fix; its message is shown to them, so it names the field and
    the reason and holds nothing secret.

    ``field`` is the input at fault in domain words (``department_codes``), kept apart from the
    reason so that each caller names it in its own words: the API as the GraphQL argument
    (``departmentCodes``, :meth:`named`); ``str()`` as the domain does, which is also how a
    job's arguments spell it (a failed job's ``error``)."""

    field: str | None = None  # also for subclasses whose other base sets up the exception
    code = "BAD_USER_INPUT"  # the API's ``extensions.code``: a subclass says what kind of refusal

    def __init__(self, reason: str, *, field: str | None = None) -> None:
        super().__init__(reason)
        self.field = field

    @property
    def reason(self) -> str:
        return str(self.args[0]) if self.args else ""

    def named(self, name: Callable[[str], str]) -> str:
        """The message with the field called ``name(field)``: ``"<name>: <reason>"``."""
        return f"{name(self.field)}: {self.reason}" if self.field else self.reason

    def __str__(self) -> str:
        return self.named(lambda field: field)


class InvalidArgument(UserError, ValueError):
    """A bad argument (unknown code, malformed month…): shown to the caller, and still a
    ``ValueError`` for code that treats bad input as not worth retrying."""


class Conflict(UserError):
    """The request is well formed but the current state does not allow it ("salon 3 is
    CANCELLED"): the caller can act on it (reload, choose another), not fix its input."""

    code = "CONFLICT"


class NotFound(UserError):
    """The thing named does not exist, or not where the caller may see it (the same words either
    way, so a refusal does not confirm that it exists)."""

    code = "NOT_FOUND"


def new_reference() -> str:
    """A short id that ties a masked message to its log record."""
    return uuid.uuid4().hex[:16]


_SQLITE_UNAVAILABLE = ("locked", "unable to open", "disk i/o")


def is_database_unavailable(error: BaseException) -> bool:
    """Connection refused or lost, connect or pool timeout, a locked SQLite file: the database is
    down or saturated. SQLite reports a missing table as an OperationalError too — that is a
    bug, not an outage."""
    if isinstance(error, sa_exc.TimeoutError):
        return True
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError):
        if isinstance(error.orig, sqlite3.Error):
            return any(phrase in str(error.orig).lower() for phrase in _SQLITE_UNAVAILABLE)
        return True
    return False


def is_value_refused(error: BaseException) -> bool:
    """The database would not take or compare a value (PostgreSQL refuses NUL in text):
    bad input, but its driver message would name the driver, so it gets a fixed text."""
    return isinstance(error, sa_exc.DataError)


def public_message(error: BaseException) -> str | None:
    """The message a caller may see, or None when the error is unexpected and must be masked."""
    if isinstance(error, UserError):
        return str(error)
    if is_database_unavailable(error):
        return DATABASE_UNAVAILABLE
    if is_value_refused(error):
        return VALUE_REFUSED
    return None


def masked(error: BaseException, log: logging.Logger, what: str) -> str:
    """The safe text for ``error``; an unexpected one is logged with its traceback first."""
    message = public_message(error)
    if message is not None:
        log.warning("%s failed: %s (%s)", what, message, type(error).__name__)
        return message
    reference = new_reference()
    log.error("%s failed [reference %s]", what, reference, exc_info=error)
    return f"internal error (reference {reference})"
