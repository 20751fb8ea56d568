"""When a salon takes place, as people scheduled it.

The time is stored in UTC (``Salon.scheduled_at``) with the UTC offset it was given in
(``scheduled_offset_minutes``), so it is answered as people wrote it — 14:00 in Beijing stays
``14:00+08:00`` — and its day is the day where it was scheduled, not in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from domain.models import Salon


def offset_minutes(at: datetime) -> int:
    """The UTC offset of an aware time, in whole minutes (ISO 8601 offsets are minutes)."""
    offset = at.utcoffset()
    if offset is None:
        raise ValueError("a time without a time zone has no offset")
    return int(offset.total_seconds() // 60)


def local_time(salon: Salon) -> datetime | None:
    """The scheduled time in the offset it was given in (UTC for salons stored without one)."""
    if salon.scheduled_at is None:
        return None
    utc = salon.scheduled_at.replace(tzinfo=UTC) if salon.scheduled_at.tzinfo is None else salon.scheduled_at
    minutes = salon.scheduled_offset_minutes or 0
    return utc.astimezone(timezone(timedelta(minutes=minutes)) if minutes else UTC)


def schedule_warnings(salon: Salon) -> list[str]:
    """What may be wrong with a salon's time that does not stop it: a day outside its month."""
    local = local_time(salon)
    if local is None or local.strftime("%Y-%m") == salon.month:
        return []
    return [f"scheduled on {local.date().isoformat()}, outside the salon's month {salon.month}"]
