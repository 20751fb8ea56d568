"""Retries measured in time: a job is retried while its message is younger than the budget.

Three quick retries (about 12 s) end long before a database restart or a network outage does;
then the message was dead-lettered and the job lost. Here an actor declared with
``max_retries=None`` is retried, with its backoff, until ``budget`` has passed since its message
was first sent (``message_timestamp``, kept by every retry), and then fails for good — which
``JobTracking`` records as a FAILED job with its reason. An actor with a count keeps it.
"""

from __future__ import annotations

import time
from datetime import timedelta

from dramatiq.middleware import Retries

GIVEN_UP = "given up after {retries} retries over {seconds:.0f} s: {error}"


class RetriesWithinBudget(Retries):
    def __init__(self, budget: timedelta, **options) -> None:
        super().__init__(**options)
        self.budget = budget

    def age(self, message) -> timedelta:
        return timedelta(milliseconds=time.time() * 1000 - message.message_timestamp)

    def after_process_message(self, broker, message, *, result=None, exception=None):
        if exception is not None:
            actor = broker.get_actor(message.actor_name)
            counted = message.options.get("max_retries", actor.options.get("max_retries", self.max_retries))
            if counted is None and self.age(message) >= self.budget:
                message.options["max_retries"] = 0  # Retries fails it for good now
                message.options["retry_budget_spent"] = True
        super().after_process_message(broker, message, result=result, exception=exception)


def given_up(message, error: str) -> str:
    """The reason a job failed for good after its budget: how long it was retried, and why."""
    if not message.options.get("retry_budget_spent"):
        return error
    seconds = time.time() - message.message_timestamp / 1000
    retries = message.options.get("retries", 1) - 1  # Retries counted the last failure too
    return GIVEN_UP.format(retries=retries, seconds=seconds, error=error)
