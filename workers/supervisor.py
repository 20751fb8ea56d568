"""``salon worker``'s supervisor: Dramatiq's own CLI, started again when it dies.

Dramatiq 2.2's CLI shuts every worker process down and exits as soon as one of them dies
unexpectedly (killed by the OOM killer, a segfault in a driver): a worker host would then stop
working until someone restarts it. This loop runs that CLI as a child and starts it again after
an abnormal exit, waiting longer after each quick failure (1 s, 2 s, 4 s … up to 30 s; back to
1 s once a run lasted a minute). SIGTERM and SIGINT are passed on (as SIGTERM, which Dramatiq
handles as a graceful stop) and end the loop; so does an exit code that no restart can fix
(Dramatiq's "module import failed or bad argument").
"""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
import time
from collections.abc import Sequence

log = logging.getLogger(__name__)
RET_IMPORT = 2  # dramatiq.cli: the actor modules cannot be imported, or a bad argument
FIRST_DELAY, MAX_DELAY, STABLE_AFTER = 1.0, 30.0, 60.0


class Supervisor:
    def __init__(self, command: Sequence[str]) -> None:
        self.command = list(command)
        self.child: subprocess.Popen | None = None
        self.stopping = threading.Event()

    def stop(self, signum: int, _frame=None) -> None:
        """Signal handler: stop for good, and let the current child stop gracefully."""
        log.info("salon worker: received %s, stopping the workers", signal.Signals(signum).name)
        self.stopping.set()
        child = self.child
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    def run(self) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self.stop)
        delay = FIRST_DELAY
        while True:
            started = time.monotonic()
            self.child = subprocess.Popen(self.command)
            if self.stopping.is_set():  # a signal arrived while it started
                self.child.send_signal(signal.SIGTERM)
            code = self.child.wait()
            if self.stopping.is_set():
                return code if code > 0 else 0
            if code == RET_IMPORT:
                log.error("salon worker: the workers cannot start (exit code %d); not restarting", code)
                return code
            if time.monotonic() - started >= STABLE_AFTER:
                delay = FIRST_DELAY
            log.error(
                "salon worker: the workers exited unexpectedly (exit code %d); restarting in %g s",
                code,
                delay,
            )
            if self.stopping.wait(delay):
                return 0
            delay = min(delay * 2, MAX_DELAY)
