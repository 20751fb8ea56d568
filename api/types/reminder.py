"""A plan's reminder cadence in the API: ``ImprovementPlan.reminder``, and the input that sets it
with a plan (``PlanInput.reminder``, ``PlanUpdateInput.reminder``). The rule is the domain's
(``domain.notifications.reminders``): monthly on a day from 1 to 28 or weekly on a weekday from
1 (Monday) to 7, at an hour from 0 to 23, in the plan's department's time zone."""

from __future__ import annotations

from enum import Enum

import strawberry

from domain import models
from domain.notifications.reminders import DEFAULT, Reminder


@strawberry.enum(description="How often a plan's people are reminded of it.")
class ReminderCadence(Enum):
    MONTHLY = models.ReminderCadence.MONTHLY.value
    WEEKLY = models.ReminderCadence.WEEKLY.value


@strawberry.type(
    description="When a plan's owner and members are reminded of it, in its department's time zone, from "
    "its first milestone month to its deadline: monthly on `day` (1–28) or weekly on `day` (1 = Monday … "
    "7), at `hour` (0–23). The default is monthly on the 1st at 09:00."
)
class PlanReminder:
    cadence: ReminderCadence
    day: int
    hour: int

    @classmethod
    def of(cls, reminder: Reminder) -> PlanReminder:
        return cls(cadence=ReminderCadence(reminder.cadence.value), day=reminder.day, hour=reminder.hour)


@strawberry.input(description="A plan's reminder cadence (see `PlanReminder`).")
class PlanReminderInput:
    cadence: ReminderCadence = ReminderCadence.MONTHLY
    day: int = DEFAULT.day
    hour: int = DEFAULT.hour

    def to_domain(self) -> Reminder:
        """The cadence, or a refusal naming ``reminder.day`` (etc.) and the reason."""
        return Reminder.checked(self.cadence.value, self.day, self.hour)
