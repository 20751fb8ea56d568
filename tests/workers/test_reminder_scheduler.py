"""Every worker runs the reminder check every ``SALON_REMIND_MINUTES`` unless it is off."""

from __future__ import annotations

import dramatiq

from domain.settings import load_settings
from workers import broker as broker_setup
from workers.notifications import ReminderScheduler


def _schedulers(broker: dramatiq.Broker) -> list[ReminderScheduler]:
    return [m for m in broker.middleware if isinstance(m, ReminderScheduler)]


def test_workers_check_for_reminders_every_few_minutes_unless_off():
    previous = dramatiq.get_broker()
    try:
        (scheduler,) = _schedulers(broker_setup.setup(load_settings({"SALON_PLAN_DAY": "off"})))
        assert scheduler.interval == 5 * 60  # the default
        (every_minute,) = _schedulers(broker_setup.setup(load_settings({"SALON_REMIND_MINUTES": "1"})))
        assert every_minute.interval == 60
        assert _schedulers(broker_setup.setup(load_settings({"SALON_REMIND_MINUTES": "off"}))) == []
    finally:
        broker_setup.install(previous)
