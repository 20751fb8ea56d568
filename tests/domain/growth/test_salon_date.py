"""A contribution is dated on the day the salon took place where it was scheduled."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.growth.salons import salon_date, salon_months
from domain.models import Salon


def _salon(at: datetime | None, offset: int | None, month: str = "2026-07") -> Salon:
    return Salon(
        month=month,
        department_id=1,
        format_key="x",
        fit=1.0,
        data_period="2026-Q2",
        scheduled_at=at,
        scheduled_offset_minutes=offset,
    )


def test_a_morning_salon_in_shanghai_is_dated_on_its_local_day_not_the_utc_one():
    # 2026-07-01 07:00 +08:00 is 2026-06-30 23:00 UTC: a 1 July salon, in the second half-year
    salon = _salon(datetime(2026, 6, 30, 23, 0, tzinfo=UTC), 480)

    assert salon_date(salon) == date(2026, 7, 1)
    assert salon_months(salon) == {"2026-07"}


def test_without_an_offset_the_utc_day_and_without_a_time_the_first_of_the_month():
    assert salon_date(_salon(datetime(2026, 6, 30, 23, 0, tzinfo=UTC), None)) == date(2026, 6, 30)
    assert salon_date(_salon(None, None, "2026-09")) == date(2026, 9, 1)
