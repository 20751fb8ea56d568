"""How the server process runs Python: tuned once, when the application has started.

Two costs showed at ten concurrent requests on two cores, neither of them in our code:

- The cyclic garbage collector. Start-up leaves about 210,000 long-lived objects (modules, the
  schema, SQLAlchemy's mappers, Polars); every full collection walked all of them in the middle
  of some request — measured: one every ~700 dashboard requests, 380–490 ms each on a busy
  machine, the p99. ``gc.freeze()`` moves what exists after start-up out of the collector's sight
  (it lives as long as the process anyway): full collections then took 2–11 ms. A request also
  allocates a few thousand objects that die with it; a youngest generation of 7,000 objects
  instead of 700 collects them ten times less often (total collection time per request a third
  lower, the longest young collection still a few milliseconds).
- The GIL hand-over. A request's reads run in worker threads while the event loop runs other
  requests' resolvers; a thread that wants the GIL back waits for the running one to drop it,
  which Python forces only after the switch interval (5 ms by default). A dashboard takes four
  hops (three read waves and the audit entry), so up to 20 ms of its latency could be waiting for
  its turn. A 1 ms interval hands over sooner, for a few more switches.
"""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL = 0.001  # seconds a thread may keep the GIL while another waits for it (Python: 0.005)
YOUNGEST_GENERATION = 7000  # allocations between young collections (Python: 700)


def tune() -> None:
    """Apply the settings above to this process. Call once start-up is done."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST_GENERATION, middle, oldest)
