"""The reminder cadence's API types (for ``ImprovementPlan.reminder`` and the plan inputs) check
through the domain's rule and show what is stored."""

from __future__ import annotations

import pytest

from api.types.reminder import PlanReminder, PlanReminderInput
from api.types.reminder import ReminderCadence as Cadence
from domain.errors import InvalidArgument
from domain.notifications.reminders import DEFAULT


def test_the_input_defaults_to_monthly_on_the_first_at_nine_and_shows_as_given():
    assert PlanReminderInput().to_domain() == DEFAULT
    weekly = PlanReminderInput(cadence=Cadence.WEEKLY, day=7, hour=20).to_domain()

    assert PlanReminder.of(weekly) == PlanReminder(cadence=Cadence.WEEKLY, day=7, hour=20)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"day": 29}, "reminder.day"),
        ({"cadence": Cadence.WEEKLY, "day": 8}, "reminder.day"),
        ({"hour": -1}, "reminder.hour"),
    ],
)
def test_a_bad_input_is_refused_naming_its_field(given, field):
    with pytest.raises(InvalidArgument) as refused:
        PlanReminderInput(**given).to_domain()

    assert refused.value.field == field
