"""What a ``contribution_points`` implementation reads: the contribution being recorded.

A frozen copy of the few facts that can decide points (who, what, at which salon), so that a
plugin never holds a database row or changes one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

KINDS = ("attendee", "sharer", "excellent_sharer", "problem_solver")


@dataclass(frozen=True)
class Contribution:
    """A salon contribution about to be written to a person's growth archive.

    :param kind: ``attendee``, ``sharer``, ``excellent_sharer`` or ``problem_solver``.
    :param employee_id: the person's employee id, as imported.
    :param department_code: the person's department.
    :param salon_id: the salon it was made at.
    :param salon_month: the salon's month, ``YYYY-MM``.
    :param format_key: the key of the salon's format (``data_review_workshop``, …).
    :param date: the day it is dated at (the salon's).
    """

    kind: str
    employee_id: str
    department_code: str
    salon_id: int
    salon_month: str
    format_key: str
    date: date
