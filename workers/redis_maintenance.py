"""Redis redelivery on a clock, not by chance.

Dramatiq's RedisBroker gives a dead worker's unacknowledged messages back to their queue only
in a maintenance pass, which its dispatch script runs when the caller asks; the broker asks at
random, ``maintenance_chance`` times per million commands. An idle worker sends about one
command a second, so with the defaults a message held by a killed worker waited about 17
minutes on average (19 were seen). Here every worker also asks on a timer: a dead worker's
messages come back at most ``heartbeat_timeout + interval`` after it died (plus a poll of the
worker that fetches them). The timer's command is also a heartbeat, so a worker busy on long
jobs, which fetches nothing, is not taken for dead.
"""

from __future__ import annotations

import logging
import threading

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import Middleware

log = logging.getLogger(__name__)

MAINTAIN = "maintain"  # a command the dispatch script does not know: maintenance, then nothing


class MaintainedRedisBroker(RedisBroker):
    """A RedisBroker that can be asked for a maintenance pass."""

    def _should_do_maintenance(self, command: str) -> int:
        return 1 if command == MAINTAIN else super()._should_do_maintenance(command)

    def maintain(self) -> None:
        """Requeue dead workers' messages on every queue this broker consumes (maintenance is
        per queue) and drop expired dead letters."""
        for queue_name in sorted(self.queues | self.delay_queues):
            self._dispatch(MAINTAIN)(queue_name)


class RedisMaintenance(Middleware):
    """Runs :meth:`MaintainedRedisBroker.maintain` every ``interval`` seconds in a worker."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._stop = threading.Event()

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._stop.clear()
        threading.Thread(target=self._run, args=(broker,), name="redis-maintenance", daemon=True).start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._stop.set()

    def _run(self, broker: MaintainedRedisBroker) -> None:
        while not self._stop.wait(self.interval):
            try:
                broker.maintain()
            except Exception:  # noqa: BLE001  (Redis away: the next tick tries again)
                log.warning("Redis maintenance failed; retrying in %.1f s", self.interval, exc_info=True)
