"""When plan reminders fall: hand-computed instants across month ends, in Shanghai (UTC+8, no
daylight saving) and Berlin (CET/CEST), through a change, and after downtime (the latest only).
Then the reminders themselves: to the owner and members, in their language, once."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.models import Notification, NotificationDelivery, ReminderCadence
from domain.notifications.reminders import DEFAULT, Reminder, latest_due, remind, reminder_of, set_reminder
from domain.periods import Period
from plugins.builtin.email import EmailChannel
from plugins.builtin.in_app import InAppChannel
from tests.domain.notifications.world import DEFAULTS

SHANGHAI, BERLIN = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin")
DEC, FEB = Period.parse("2026-12"), Period.parse("2027-02")
MAR, MAY = Period.parse("2027-03"), Period.parse("2027-05")
CHANNELS = {"email": EmailChannel("smtp://127.0.0.1:2525", "salon@example.com"), "in_app": InAppChannel()}


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2026, 12, 1, 0, 59), None),  # 08:59 in Shanghai on the first day: not yet
        (utc(2026, 12, 1, 1, 0), utc(2026, 12, 1, 1, 0)),  # 09:00 +08:00
        (utc(2026, 12, 31, 23, 0), utc(2026, 12, 1, 1, 0)),  # 1 January 07:00 local: still December's
        (utc(2027, 1, 1, 1, 0), utc(2027, 1, 1, 1, 0)),
        (utc(2027, 2, 15, 0, 0), utc(2027, 2, 1, 1, 0)),  # after downtime: February's, never January's
        (utc(2027, 2, 28, 15, 59), utc(2027, 2, 1, 1, 0)),  # 23:59 on the deadline month's last day
        (utc(2027, 2, 28, 16, 0), None),  # 1 March 00:00 local: the plan's calendar is over
    ],
)
def test_monthly_in_shanghai(at, expected):
    assert latest_due(DEFAULT, DEC, FEB, SHANGHAI, at) == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2027, 3, 1, 7, 59), None),
        (utc(2027, 3, 1, 8, 0), utc(2027, 3, 1, 8, 0)),  # 09:00 CET is 08:00 UTC
        (utc(2027, 4, 1, 6, 59), utc(2027, 3, 1, 8, 0)),
        (utc(2027, 4, 1, 7, 0), utc(2027, 4, 1, 7, 0)),  # 09:00 CEST is 07:00 UTC
    ],
)
def test_monthly_in_berlin_keeps_nine_oclock_across_the_change(at, expected):
    assert latest_due(DEFAULT, MAR, MAY, BERLIN, at) == expected


def test_a_later_day_in_the_month_at_its_end():
    on_28th = Reminder(ReminderCadence.MONTHLY, 28, 18)  # 18:00 +08:00 = 10:00 UTC

    assert latest_due(on_28th, DEC, FEB, SHANGHAI, utc(2027, 2, 28, 10, 0)) == utc(2027, 2, 28, 10, 0)
    assert latest_due(on_28th, DEC, FEB, SHANGHAI, utc(2027, 2, 28, 9, 59)) == utc(2027, 1, 28, 10, 0)
    assert latest_due(on_28th, DEC, FEB, SHANGHAI, utc(2026, 12, 27, 0, 0)) is None


def test_weekly_on_the_night_berlin_skips_an_hour():
    """28 March 2027 is a Sunday: 02:00 CET jumps to 03:00 CEST, so "02:00" is read as 03:00."""
    sunday_two = Reminder(ReminderCadence.WEEKLY, 7, 2)

    assert latest_due(sunday_two, MAR, MAY, BERLIN, utc(2027, 3, 28, 0, 59)) == utc(2027, 3, 21, 1, 0)
    assert latest_due(sunday_two, MAR, MAY, BERLIN, utc(2027, 3, 28, 1, 0)) == utc(2027, 3, 28, 1, 0)
    assert latest_due(sunday_two, MAR, MAY, BERLIN, utc(2027, 4, 4, 0, 0)) == utc(2027, 4, 4, 0, 0)  # CEST


def test_weekly_on_the_night_berlin_repeats_an_hour_takes_the_first():
    """31 October 2027 is a Sunday: 02:00–03:00 happens twice; the first is 00:00 UTC."""
    sunday_two = Reminder(ReminderCadence.WEEKLY, 7, 2)
    october, november = Period.parse("2027-10"), Period.parse("2027-11")

    assert latest_due(sunday_two, october, november, BERLIN, utc(2027, 10, 31, 0, 30)) == utc(
        2027, 10, 31, 0, 0
    )
    assert latest_due(sunday_two, october, november, BERLIN, utc(2027, 11, 7, 1, 0)) == utc(2027, 11, 7, 1, 0)


def test_weekly_starts_with_the_first_weekday_inside_the_plans_months():
    mondays = Reminder(ReminderCadence.WEEKLY, 1, 9)  # 1 December 2026 is a Tuesday

    assert latest_due(mondays, DEC, FEB, SHANGHAI, utc(2026, 12, 6, 0, 0)) is None
    assert latest_due(mondays, DEC, FEB, SHANGHAI, utc(2026, 12, 7, 1, 0)) == utc(2026, 12, 7, 1, 0)


def test_occurrences_before_the_cadence_was_set_are_not_due():
    since = utc(2027, 1, 15, 0, 0)

    assert latest_due(DEFAULT, DEC, FEB, SHANGHAI, utc(2027, 1, 20), since) is None
    assert latest_due(DEFAULT, DEC, FEB, SHANGHAI, utc(2027, 2, 1, 1, 0), since) == utc(2027, 2, 1, 1, 0)


@pytest.mark.parametrize(
    ("cadence", "day", "hour", "field", "words"),
    [
        ("daily", 1, 9, "reminder.cadence", "must be one of monthly, weekly"),
        ("monthly", 31, 9, "reminder.day", "from 1 to 28"),
        ("weekly", 0, 9, "reminder.day", "from 1 (Monday) to 7 (Sunday)"),
        ("monthly", 1, 24, "reminder.hour", "from 0 to 23"),
    ],
)
def test_a_bad_cadence_is_refused_naming_the_field(cadence, day, hour, field, words):
    with pytest.raises(InvalidArgument) as refused:
        Reminder.checked(cadence, day, hour)

    assert refused.value.field == field and words in refused.value.reason


# --- the reminders ------------------------------------------------------------------------------


def _sent(engine) -> list[tuple[str, str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(Notification).order_by(col(Notification.id))).all()
        return [(row.key, row.locale, row.subject) for row in rows]


def _channels(engine) -> dict[str, list[str]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Notification.employee_id, NotificationDelivery.channel).join(
                NotificationDelivery, col(NotificationDelivery.notification_id) == col(Notification.id)
            )
        ).all()
    found: dict[str, list[str]] = {}
    for employee, channel in rows:
        found.setdefault(employee, []).append(channel)
    return {employee: sorted(channels) for employee, channels in found.items()}


def test_the_owner_and_members_get_the_plans_report_once(engine, world):
    at = utc(2027, 1, 1, 1, 0)
    with session_scope(engine) as session:
        created = remind(session, at, DEFAULTS, CHANNELS, now=at)
    with session_scope(engine) as session:
        again = remind(session, at + timedelta(minutes=5), DEFAULTS, CHANNELS, now=at)

    plan = world.plans["shanghai"]
    key = f"plan:{plan}:reminder:2027-01-01T01:00Z"
    assert _sent(engine) == [
        (key, "zh-CN", "改进计划提醒：运营部不良率"),  # O1, owner
        (key, "zh-CN", "改进计划提醒：运营部不良率"),  # P1, member
    ]
    assert _channels(engine) == {world.people["O1"]: ["email", "in_app"], world.people["P1"]: ["in_app"]}
    assert created.job_id is not None and len(created.delivery_ids) == 3
    assert again.notification_ids == [] and again.job_id is None
    with Session(engine) as session:
        text = session.exec(select(Notification.text)).first()
    assert "运营部不良率改进计划" in text and "这是您参与的改进计划的定期提醒" in text


def test_catching_up_sends_each_plan_its_latest_reminder_only(engine, world):
    at = utc(2027, 4, 20, 0, 0)  # nothing ran since December: Shanghai's plan is over, Berlin's is due
    with session_scope(engine) as session:
        remind(session, at, DEFAULTS, CHANNELS, now=at)

    plan = world.plans["berlin"]
    key = f"plan:{plan}:reminder:2027-04-01T07:00Z"
    assert _sent(engine) == [
        (key, "en", "Plan reminder: 不良率, 柏林办公室"),  # B1 reads English
        (key, "zh-CN", "改进计划提醒：柏林办公室不良率"),  # B2 has no locale: SALON_LOCALE
    ]


def test_a_changed_cadence_is_kept_and_starts_from_its_change(engine, world):
    plan = world.plans["shanghai"]
    with session_scope(engine) as session:
        set_reminder(session, plan, Reminder.checked("weekly", 5, 17), "hr", now=utc(2027, 1, 6, 0, 0))
    with Session(engine) as session:
        assert reminder_of(session, plan) == Reminder(ReminderCadence.WEEKLY, 5, 17)

    with session_scope(engine) as session:  # Friday 8 January 17:00 +08:00
        remind(session, utc(2027, 1, 8, 9, 0), DEFAULTS, CHANNELS, now=utc(2027, 1, 8, 9, 0))
    with session_scope(engine) as session:  # the 1st of the month no longer reminds
        remind(session, utc(2027, 2, 1, 2, 0), DEFAULTS, CHANNELS, now=utc(2027, 2, 1, 2, 0))

    keys = sorted({key for key, _, _ in _sent(engine)})
    assert keys == [f"plan:{plan}:reminder:2027-01-08T09:00Z", f"plan:{plan}:reminder:2027-01-29T09:00Z"]


def test_cadences_are_read_in_one_go_with_the_default_for_plans_that_set_none(engine, world):
    from domain.notifications.reminders import reminders_of

    with session_scope(engine) as session:
        set_reminder(session, world.plans["berlin"], Reminder.checked("WEEKLY", 3, 8), "hr")

    with Session(engine) as session:
        found = reminders_of(session, [world.plans["shanghai"], world.plans["berlin"]])

    assert found == {
        world.plans["shanghai"]: Reminder(ReminderCadence.MONTHLY, 1, 9),
        world.plans["berlin"]: Reminder(ReminderCadence.WEEKLY, 3, 8),
    }


READER_SCRIPTS = {"ja": r"[\u3040-\u30ff]", "ru": r"[\u0400-\u04ff]", "th": r"[\u0e00-\u0e7f]",
                  "de": r"\b(Erinnerung|Verbesserungsplan|Ausgangswert|Ziel|Plan|Gesendet|Monat)\b"}  # fmt: skip


@pytest.mark.parametrize("locale", list(READER_SCRIPTS))
def test_a_reminder_reads_in_the_recipients_language_from_subject_to_footer(engine, world, locale):
    from domain.models import Employee
    from domain.notifications.messages import MESSAGES as NOTICES
    from domain.plans.messages import MESSAGES as REPORTS

    with session_scope(engine) as session:
        owner = session.exec(select(Employee).where(Employee.employee_id == "O1")).one()
        owner.locale = locale
    at = utc(2027, 1, 1, 1, 0)
    with session_scope(engine) as session:
        remind(session, at, DEFAULTS, CHANNELS, now=at)

    with Session(engine) as session:
        subject, text = session.exec(
            select(Notification.subject, Notification.text).where(Notification.locale == locale)
        ).one()
    for line in [subject, *filter(None, text.splitlines())]:
        assert re.search(READER_SCRIPTS[locale], line), (locale, line)
    english = {
        part.strip(" .,;:()")
        for message in [*NOTICES.values(), *REPORTS.values()]
        for form in ((message,) if isinstance(message, str) else message)
        for part in re.split(r"\{\w+\}", form)
        if len(part.strip(" .,;:()").split()) >= 2
    }
    assert [phrase for phrase in english if phrase in text or phrase in subject] == []
