"""The JSON a client sends (a request body, a WebSocket message), decoded with limits.

Python's decoder recurses once per nesting level: 100,000 ``[`` end in a ``RecursionError``
(an answer 500), and a few hundred still reach code that recurses again (a variable's
coercion, the response's encoding). A lone surrogate (``"\\ud800"``) is valid JSON but no
text: the database, the audit log and the response's encoder each fail on it. Both are
refused here, before anything else sees the value, with the place they were found.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32  # a GraphQL request needs a handful of levels: {"variables": {"input": {…}}}
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class BadJson(json.JSONDecodeError):
    """JSON the server does not take; the message says why and where (a JSONDecodeError, so
    Strawberry's socket handler closes a socket that sends it with 4400)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "", 0)
        self.args = (message,)


def decode(data: str | bytes) -> Any:
    try:
        value = json.loads(data)
    except RecursionError:
        raise BadJson(f"the JSON is nested more than {MAX_DEPTH} levels deep") from None
    except UnicodeDecodeError:
        raise BadJson("the JSON is not UTF-8 text") from None
    _check(value)
    return value


def _check(value: Any) -> None:
    """Walks ``value`` without recursion: depth and strings (keys included)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        current, path = stack.pop()
        if isinstance(current, str):
            _check_text(current, path)
            continue
        if not isinstance(current, dict | list):
            continue
        if len(path) >= MAX_DEPTH:
            raise BadJson(f"{_where(path)}: the JSON is nested more than {MAX_DEPTH} levels deep")
        if isinstance(current, dict):
            for key, item in current.items():
                _check_text(key, (*path, key))
                stack.append((item, (*path, key)))
        else:
            stack.extend((item, (*path, index)) for index, item in enumerate(current))


def _check_text(text: str, path: tuple[str | int, ...]) -> None:
    if not text.isascii() and (found := _SURROGATE.search(text)):
        raise BadJson(
            f"{_where(path)}: the text holds a lone surrogate (\\u{ord(found.group()):04x}), which is not "
            "valid Unicode"
        )


def _where(path: tuple[str | int, ...]) -> str:
    """A readable, escaped path: ``variables.code``, ``variables.ids.3``."""
    shown = [json.dumps(p)[1:-1][:40] if isinstance(p, str) else str(p) for p in path[:6]]
    return ".".join(shown) + (".…" if len(path) > 6 else "") if path else "the body"
