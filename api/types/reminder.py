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
    MONTHLY = strawberry.enum_value(
        models.ReminderCadence.MONTHLY.value, description="Once a month, on `day` (1–28)."
    )
    WEEKLY = strawberry.enum_value(
        models.ReminderCadence.WEEKLY.value, description="Once a week, on `day` (1 = Monday … 7 = Sunday)."
    )


@strawberry.type(
    description="When a plan's owner and members are reminded of it, in its department's time zone, from "
    "its first milestone month to its deadline: monthly on `day` (1–28) or weekly on `day` (1 = Monday … "
    "7), at `hour` (0–23). The default is monthly on the 1st at 09:00."
)
class PlanReminder:
    cadence: ReminderCadence = strawberry.field(description="Monthly or weekly.")
    day: int = strawberry.field(description="The day of the month (1–28) or of the week (1 = Monday … 7).")
    hour: int = strawberry.field(description="The hour (0–23) in the department's time zone.")

    @classmethod
    def of(cls, reminder: Reminder) -> PlanReminder:
        return cls(cadence=ReminderCadence(reminder.cadence.value), day=reminder.day, hour=reminder.hour)


@strawberry.input(description="A plan's reminder cadence (see `PlanReminder`).")
class PlanReminderInput:
    cadence: ReminderCadence | None = strawberry.field(default=None, description="Omitted: MONTHLY.")
    day: int = strawberry.field(
        default=DEFAULT.day, description="1–28 of the month (monthly) or 1 = Monday … 7 (weekly)."
    )
    hour: int = strawberry.field(default=DEFAULT.hour, description="0–23, in the department's time zone.")

    def to_domain(self) -> Reminder:
        """The cadence, or a refusal naming ``reminder.day`` (etc.) and the reason."""
        cadence = (
            self.cadence or ReminderCadence.MONTHLY
        )  # a default in the schema would print the Python enum
        return Reminder.checked(cadence.value, self.day, self.hour)
