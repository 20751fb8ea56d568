"""A worker middleware that runs a check at boot and then every ``interval`` seconds, on its own
thread, until the worker shuts down — what the planning and reminder schedulers share."""

from __future__ import annotations

import logging
import threading

import dramatiq

log = logging.getLogger(__name__)


class Periodic(dramatiq.Middleware):
    """Subclasses say what to do (``tick``) and name the thread; a failed tick is logged and
    retried at the next one (an outage must not end the loop)."""

    thread_name = "salon-periodic"

    def __init__(self, engine_factory, interval: float) -> None:
        self.engine_factory, self.interval = engine_factory, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self, broker) -> None:
        raise NotImplementedError

    def after_worker_boot(self, broker, worker) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(broker,), name=self.thread_name, daemon=True)
        self._thread.start()

    def before_worker_shutdown(self, broker, worker) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self, broker) -> None:
        while not self._stop.is_set():
            try:
                self.tick(broker)
            except Exception:  # noqa: BLE001  (a failed check is retried at the next one)
                log.warning("%s: check failed", self.thread_name, exc_info=True)
            self._stop.wait(self.interval)
