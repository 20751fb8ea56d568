"""Natural keys for rows that have none of their own."""

from __future__ import annotations

import hashlib


def feedback_fingerprint(
    employee_id: str | None, department_code: str, period: str, metric_code: str | None, text: str
) -> str:
    """The same feedback, imported again, hashes alike; whitespace differences do not count."""
    normalised = " ".join(text.split())
    parts = (employee_id or "", department_code, period, metric_code or "", normalised)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
