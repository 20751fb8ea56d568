"""Mixed groups of 4–6 for a workshop: new and experienced, high and low scorers together.

People are dealt in snake order (1, 2, …, g, g, …, 2, 1, …) over a list of new hires then
experienced staff, each sorted by review score: every group gets new hires and experienced
staff whenever there are at least as many of each as groups, and a spread of scores.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from plugins.facts import EmployeeFacts

MIN_SIZE, MAX_SIZE = 4, 6


def group_count(people: int) -> int:
    """The fewest groups of at most 6; below 8 people (7 cannot make two of 4) one group."""
    if people < 2 * MIN_SIZE:
        return 1 if people else 0
    return math.ceil(people / MAX_SIZE)


def mixed_groups(employees: Sequence[EmployeeFacts]) -> list[list[str]]:
    """Employee ids in groups whose sizes differ by at most one."""
    count = group_count(len(employees))
    if count == 0:
        return []

    def by_score(e: EmployeeFacts) -> tuple:
        return (e.review_score is None, -(e.review_score or 0.0), e.employee_id)

    ordered = sorted((e for e in employees if e.new_hire), key=by_score) + sorted(
        (e for e in employees if not e.new_hire), key=by_score
    )
    groups: list[list[str]] = [[] for _ in range(count)]
    for index, employee in enumerate(ordered):
        round_, position = divmod(index, count)
        groups[position if round_ % 2 == 0 else count - 1 - position].append(employee.employee_id)
    return groups
