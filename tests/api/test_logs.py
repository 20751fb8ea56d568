"""Log records cannot be forged by what a client sends: a token's ``kid``, a path."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import jwt
import pytest

from domain import logs
from tests.api.test_auth import Issuer, issuer  # noqa: F401  (the OIDC issuer fixture)

FORGED = "\n2026-01-01 00:00:00,000 CRITICAL api.tokens: forged\x1b[2J\x1b[31m"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the command line's log handler (``salon serve``) writes, at INFO."""
    stream = io.StringIO()
    handler = logs.handler(stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_kid_or_a_path_with_newlines_and_ansi_escapes_cannot_forge_a_log_line(
    make_client,
    database_url,
    engine,
    issuer: Issuer,  # noqa: F811
    log_lines,
):
    app = make_client(database_url, engine, role=None, SALON_OIDC_ISSUER=issuer.url)
    forged_token = jwt.encode(
        {"iss": issuer.url, "sub": "x", "role": "hr_admin", "exp": 4102444800},
        issuer.key,
        algorithm="RS256",
        headers={"kid": "test-key" + FORGED},
    )

    by_kid = app.post(
        "/graphql",
        json={"query": "{ metrics { code } }"},
        headers={"Authorization": f"Bearer {forged_token}"},
    )
    by_path = app.post("/graphql%0A2026-01-01%2000:00:00,000%20CRITICAL%20forged%1B%5B2J", json={})

    written = log_lines.getvalue()
    lines = written.splitlines()
    assert by_kid.status_code == 401 and by_path.status_code in (401, 404)
    assert any("token keys unavailable" in line and "\\n2026-01-01" in line for line in lines), written
    assert any("refused POST /graphql\\n2026" in line for line in lines), written
    assert [line for line in lines if line.split()[2:3] == ["CRITICAL"]] == []  # no forged record
    assert "\x1b" not in written


def test_escape_keeps_text_and_numbers_and_writes_control_characters_visibly():
    arguments = ("a\nb", 5, ValueError("c\x1bd"))
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s took %d ms: %s", arguments, None)

    logs.EscapeControl().filter(record)

    assert record.getMessage() == "a\\nb took 5 ms: c\\x1bd"
    config = logs.uvicorn_config()
    assert all("escape_control" in h["filters"] for h in config["handlers"].values())


def test_handlers_set_up_by_someone_else_escape_too():
    """Dramatiq's worker processes configure logging themselves; importing the actors escapes it."""
    stream = io.StringIO()
    plain = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(plain)
    try:
        logs.escape_root_handlers()
        logs.escape_root_handlers()  # idempotent
        logging.getLogger("workers.tracking").warning("job for %s failed", FORGED)
    finally:
        root.removeHandler(plain)

    assert sum(isinstance(f, logs.EscapeControl) for f in plain.filters) == 1
    assert stream.getvalue().count("\n") == 1 and "\x1b" not in stream.getvalue()
