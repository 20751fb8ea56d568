"""One exchange for everyone who needs it: departments lagging the same host on the same metric
meet at one salon rather than the host presenting the same practices several times.

Pure: planned salons in, planned salons out. The salon of the department with the most severe
gap (then the first code) takes the others in — their departments attend it, their people join
its participants — and theirs go: its questions speak of the department that needs it most.
"""

from __future__ import annotations

from dataclasses import replace

from domain.salons.planner import PlannedSalon


def _key(salon: PlannedSalon) -> tuple[str, str, str | None] | None:
    host = next(iter(salon.drafts.values())).host_department
    if host is None or host == salon.department_code:
        return None  # not hosted by another department: nothing to share
    return (salon.format_key, host, salon.topic.metric_code)


def share_hosted(salons: list[PlannedSalon]) -> tuple[list[PlannedSalon], dict[str, str]]:
    """The salons with hosted ones of the same format, host and metric merged; and for each
    department whose own salon was merged, the department whose salon it now attends."""
    owners: dict[tuple, PlannedSalon] = {}
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
        for locale, draft in owner.drafts.items():
            guest = salon.drafts.get(locale, next(iter(salon.drafts.values())))
            owner.drafts[locale] = replace(
                draft,
                departments=list(dict.fromkeys([*draft.departments, *guest.departments])),
                participants=list(dict.fromkeys([*draft.participants, *guest.participants])),
            )
    return sorted(result, key=lambda s: s.department_code), joined
