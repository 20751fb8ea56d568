"""How the server process runs Python: tuned once, when the application starts.

Two costs showed at ten concurrent requests on two cores, neither of them in our code:

- The GIL hand-over. A request's reads run in worker threads while the event loop runs other
  requests' resolvers; a thread that wants the GIL back waits for the running one to drop it,
  which Python forces only after the switch interval (5 ms by default). A dashboard takes four
  hops, so up to 20 ms of its latency was waiting for its turn. A shorter interval hands over
  sooner, for a few more switches.
- The cyclic garbage collector. Start-up leaves a few hundred thousand long-lived objects
  (modules, the schema, SQLAlchemy's mappers, Polars); every full collection walked all of
  them, in the middle of some request. ``gc.freeze()`` moves what exists after start-up out of
  the collector's sight (it is never freed anyway).
"""

from __future__ import annotations

import gc
import os
import sys

SWITCH_INTERVAL = 0.001  # seconds: how long a thread may hold the GIL while another waits for it


def tune() -> None:
    """Apply the settings above (the process's, not a request's). Call once start-up is done."""
    switch = os.environ.get("SALON_BENCH_SWITCH")
    if switch != "off":
        sys.setswitchinterval(float(switch) if switch else SWITCH_INTERVAL)
    if os.environ.get("SALON_BENCH_GC") != "off":
        gc.collect()
        gc.freeze()
