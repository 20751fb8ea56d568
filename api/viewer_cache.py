"""Resolved viewers, kept a few seconds per token's claims (``SALON_VIEWER_CACHE_SECONDS``).

A client sends the same token with every request, and resolving it reads the organisation (the
subject's row, the department tree, whom a manager manages). Keeping the answer for a short
time saves those reads; the price is that an organisation change (a manager removed, an
employee moved) reaches tokens already seen only when their entry expires — at most the
setting's seconds later. An entry never outlives its token's ``exp``.

The key is the verified claims (subject, role, department, expiry), never the raw token: the
viewer depends on nothing else, and a cache holding no token cannot leak one. Bounded (least
recently used entries go first) and safe to share between threads.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from api.auth import Claims
from api.permissions import Viewer

MAX_ENTRIES = 1024  # concurrent users of one process; more only costs a re-resolve


class ViewerCache:
    def __init__(
        self,
        seconds: float,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Claims, tuple[float, Viewer]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, claims: Claims) -> Viewer | None:
        """The viewer resolved for ``claims`` less than ``seconds`` ago, if any."""
        with self._lock:
            entry = self._entries.get(claims)
            if entry is None:
                return None
            if entry[0] <= self._clock():
                del self._entries[claims]
                return None
            self._entries.move_to_end(claims)
            return entry[1]

    def put(self, claims: Claims, viewer: Viewer) -> None:
        if self.seconds <= 0:
            return
        now = self._clock()
        until = min(now + self.seconds, claims.expires.timestamp())
        if until <= now:
            return
        with self._lock:
            self._entries[claims] = (until, viewer)
            self._entries.move_to_end(claims)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
