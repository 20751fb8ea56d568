"""Logging setup: every record's text has its control characters escaped.

Log records carry text a client chose — a token header's ``kid`` in PyJWT's error, a request
path, an import file's name. A newline in it would forge a log line of its own, an ANSI
escape would rewrite the operator's terminal. :class:`EscapeControl` escapes them in the
message and its arguments of every record a handler writes, whichever module logged it, so
no call site has to remember. Tracebacks are left as they are: they are multi-line by nature.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import IO, Any

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape(text: str) -> str:
    """``text`` with each control character (newline, ESC, …) written as ``\\n``, ``\\x1b``…"""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _escaped(value: Any) -> Any:
    if isinstance(value, int | float):
        return value  # keeps %d and %.1f working
    return escape(value if isinstance(value, str) else str(value))


class EscapeControl(logging.Filter):
    """Escapes control characters in a record's message and arguments (see the module)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = escape(record.msg)
        else:
            record.msg = _escaped(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _escaped(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_escaped(value) for value in record.args)
        return True


def handler(stream: IO[str] | None = None) -> logging.Handler:
    """A stream handler (stderr by default) whose records are escaped."""
    made = logging.StreamHandler(stream)
    made.setFormatter(logging.Formatter(FORMAT))
    made.addFilter(EscapeControl())
    return made


def configure(level: str) -> None:
    """The command line's logging: one escaping handler on the root logger."""
    logging.basicConfig(level=level, handlers=[handler()])
    if level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per migration step is noise


def uvicorn_config() -> dict[str, Any]:
    """uvicorn's own logging configuration (its access log has the request path) with the
    same filter on its handlers."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["escape_control"] = {"()": EscapeControl}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("escape_control")
    return config


def escape_root_handlers() -> None:
    """Put :class:`EscapeControl` on the handlers someone else set up — Dramatiq's worker
    processes configure their own logging before they import our actors (idempotent)."""
    for existing in logging.getLogger().handlers:
        if not any(isinstance(f, EscapeControl) for f in existing.filters):
            existing.addFilter(EscapeControl())
