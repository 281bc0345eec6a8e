"""Attempt budgets over a sliding window: failed logins and registrations per client.

Counts live in this process, under one lock, so checking a budget and taking an
attempt from it is a single step: twenty concurrent logins cannot all see the
last free attempt. Each Gunicorn worker process counts on its own; the default
is one process with threads (gunicorn.conf.py).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `attempts` in any `window_seconds`."""

    attempts: int
    window_seconds: int


# Failed logins per (client address, email), then per client address whatever the email
# (password spraying), and registrations per client address.
LOGIN_PER_EMAIL = Limit(attempts=5, window_seconds=60)
LOGIN_PER_CLIENT = Limit(attempts=30, window_seconds=900)
REGISTRATIONS_PER_CLIENT = Limit(attempts=10, window_seconds=3600)

# How often expired keys are swept, so clients that never come back cost no memory.
_SWEEP_SECONDS = 60


class Throttled(Exception):
    """A budget is spent: try again in `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Ticket:
    """The attempts one `take` took, so they can be given back."""

    taken: tuple[tuple[Hashable, float], ...]


class Throttle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        # key -> (its limit, the times attempts were taken, oldest first)
        self._attempts: dict[Hashable, tuple[Limit, deque[float]]] = {}
        self._swept_at = clock()

    def take(self, *budgets: tuple[Hashable, Limit]) -> Ticket:
        """Take one attempt from every budget, or from none and raise Throttled.

        A budget is a key (e.g. `("login", address, email)`) and its limit.
        """
        with self._lock:
            now = self._clock()
            self._sweep(now)
            waits = [self._wait(key, limit, now) for key, limit in budgets]
            if any(waits):
                raise Throttled(max(waits))
            for key, limit in budgets:
                self._attempts.setdefault(key, (limit, deque()))[1].append(now)
            return Ticket(tuple((key, now) for key, _ in budgets))

    def give_back(self, ticket: Ticket) -> None:
        """Return the attempts of `ticket`, e.g. after a successful login."""
        with self._lock:
            for key, at in ticket.taken:
                entry = self._attempts.get(key)
                if entry is not None and at in entry[1]:
                    entry[1].remove(at)

    def _wait(self, key: Hashable, limit: Limit, now: float) -> int:
        """Seconds until `key` has an attempt left (0: it has one now)."""
        entry = self._attempts.get(key)
        if entry is None:
            return 0
        times = entry[1]
        while times and times[0] <= now - limit.window_seconds:
            times.popleft()
        if len(times) < limit.attempts:
            return 0
        # The oldest attempt leaving the window frees the next one.
        return max(1, math.ceil(times[0] + limit.window_seconds - now))

    def _sweep(self, now: float) -> None:
        if now - self._swept_at < _SWEEP_SECONDS:
            return
        self._swept_at = now
        for key, (limit, times) in list(self._attempts.items()):
            if not times or times[-1] <= now - limit.window_seconds:
                del self._attempts[key]
