"""One exchange for everyone who needs it: departments lagging the same host on the same metric
meet at one salon rather than the host presenting the same practices several times.

Pure: planned salons in, planned salons out. The salon of the department with the most severe
gap (then the first code) takes the others in — their departments attend it, their people join
its participants — and theirs go. Its drafts are built again for all of them (``rebuild``), so
its questions name every attending department and its charts draw each one; a format that
cannot (or a rebuild that fails) keeps the drafts it had, with everyone added to them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace

from domain.salons.planner import PlannedSalon
from plugins.formats import SalonDraft

Rebuild = Callable[[PlannedSalon, Sequence[str]], dict[str, SalonDraft] | None]
"""The salon's drafts built for these attending departments (None: keep the ones it has)."""


def _key(salon: PlannedSalon) -> tuple[str, str, str | None] | None:
    host = next(iter(salon.drafts.values())).host_department
    if host is None or host == salon.department_code:
        return None  # not hosted by another department: nothing to share
    return (salon.format_key, host, salon.topic.metric_code)


def _take_in(owner: PlannedSalon, guests: list[PlannedSalon], rebuild: Rebuild | None) -> None:
    first = next(iter(owner.drafts.values()))
    departments = list(
        dict.fromkeys(
            [*first.departments, *(d for g in guests for d in next(iter(g.drafts.values())).departments)]
        )
    )
    rebuilt = rebuild(owner, departments) if rebuild is not None else None
    if rebuilt:
        owner.drafts = rebuilt
    for locale, draft in owner.drafts.items():
        people = [*draft.participants]
        for guest in guests:
            people += guest.drafts.get(locale, next(iter(guest.drafts.values()))).participants
        owner.drafts[locale] = replace(
            draft,
            departments=list(dict.fromkeys([*draft.departments, *departments])),
            participants=list(dict.fromkeys(people)),
        )


def share_hosted(
    salons: list[PlannedSalon], rebuild: Rebuild | None = None
) -> tuple[list[PlannedSalon], dict[str, str]]:
    """The salons with hosted ones of the same format, host and metric merged; and for each
    department whose own salon was merged, the department whose salon it now attends."""
    owners: dict[tuple, PlannedSalon] = {}
    guests: dict[str, list[PlannedSalon]] = defaultdict(list)
    joined: dict[str, str] = {}
    result: list[PlannedSalon] = []
    for salon in sorted(salons, key=lambda s: (-s.topic.severity, s.department_code)):
        key = _key(salon)
        owner = owners.get(key) if key is not None else None
        if owner is None:
            if key is not None:
                owners[key] = salon
            result.append(salon)
            continue
        joined[salon.department_code] = owner.department_code
        guests[owner.department_code].append(salon)
    for owner in result:
        if owner.department_code in guests:
            _take_in(owner, guests[owner.department_code], rebuild)
    return sorted(result, key=lambda s: s.department_code), joined
