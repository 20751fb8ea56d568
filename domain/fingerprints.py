"""Natural keys for rows that have none of their own.

Feedback has no key but its content, so its fingerprint hashes the content. A plain hash would
outlive erasure: anyone holding a guess of an erased text could hash it and find the row. So
the fingerprint is keyed — an HMAC with a key derived from ``SALON_SECRET_KEY`` — and only the
server can compute it. The HMAC is taken over the old unkeyed digest, so rows stored before
fingerprints were keyed are re-keyed from their stored fingerprint alone (``rekey_legacy``),
erased text or not, and a re-import of the same file still finds them. Changing the secret
key changes every fingerprint: a re-import after it inserts the feedback again.
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import Connection, bindparam, select, update

from domain.models import Feedback

KEYED = "k1:"  # marks keyed fingerprints; unkeyed ones are 64 hex digits


def fingerprint_key(secret: str) -> bytes:
    """A key of its own for fingerprints, apart from token and pseudonym keys of the same secret."""
    return hashlib.sha256(b"salon-feedback-fingerprint:" + secret.encode()).digest()


def _unkeyed(
    employee_id: str | None, department_code: str, period: str, metric_code: str | None, text: str
) -> str:
    normalised = " ".join(text.split())
    parts = (employee_id or "", department_code, period, metric_code or "", normalised)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _keyed(key: bytes, unkeyed: str) -> str:
    return KEYED + hmac.new(key, unkeyed.encode("ascii"), hashlib.sha256).hexdigest()


def feedback_fingerprint(
    key: bytes,
    employee_id: str | None,
    department_code: str,
    period: str,
    metric_code: str | None,
    text: str,
) -> str:
    """The same feedback, imported again, hashes alike; whitespace differences do not count."""
    return _keyed(key, _unkeyed(employee_id, department_code, period, metric_code, text))


def rekey_legacy(connection: Connection, key: bytes) -> int:
    """Replace unkeyed fingerprints by keyed ones, in the caller's transaction; returns how many."""
    table = Feedback.__table__
    legacy = (
        connection.execute(select(table.c.fingerprint).where(table.c.fingerprint.not_like(f"{KEYED}%")))
        .scalars()
        .all()
    )
    if legacy:
        connection.execute(
            update(table).where(table.c.fingerprint == bindparam("old")).values(fingerprint=bindparam("new")),
            [{"old": old, "new": _keyed(key, old)} for old in legacy],
        )
    return len(legacy)
