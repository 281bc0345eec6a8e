"""Attempt budgets over a sliding window: failed logins and registrations per client.

Two stores keep the same rules. Without REDIS_URL, `MemoryThrottle` counts in this
process (each Gunicorn worker on its own; the default is one process with threads).
With it, `RedisThrottle` (app/redis_throttle.py) counts in Redis, which every worker
and every instance shares. Either way, checking every budget and taking an attempt
from each is a single step: twenty concurrent logins cannot all see the last free
attempt.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


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

# A budget's key: what is counted (e.g. "login"), then whom (address, email).
Key = tuple[str, ...]
Budget = tuple[Key, Limit]

# How often expired keys are swept, so clients that never come back cost no memory.
_SWEEP_SECONDS = 60


class Throttled(Exception):
    """A budget is spent: try again in `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class StoreUnavailable(Exception):
    """The store did not answer, so no budget can be checked: refuse, never skip the limit."""


@dataclass(frozen=True, slots=True)
class Ticket:
    """The attempt one `take` took from each of `keys`, so it can be given back."""

    keys: tuple[Key, ...]
    attempt: str


class Throttle(Protocol):
    def take(self, *budgets: Budget) -> Ticket:
        """Take one attempt from every budget, or from none and raise Throttled.

        Raises StoreUnavailable when the counts cannot be read.
        """

    def give_back(self, ticket: Ticket) -> None:
        """Return the attempts of `ticket`, e.g. after a successful login."""

    def close(self) -> None:
        """Release connections; the throttle is not used afterwards."""


def new_attempt_id() -> str:
    """Unique across processes and instances: attempts are told apart by it."""
    return secrets.token_hex(12)


class MemoryThrottle:
    """Counts in this process's memory, under one lock."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        # key -> (its limit, (time, attempt id) of each attempt taken, oldest first)
        self._attempts: dict[Key, tuple[Limit, deque[tuple[float, str]]]] = {}
        self._swept_at = clock()

    def take(self, *budgets: Budget) -> Ticket:
        with self._lock:
            now = self._clock()
            self._sweep(now)
            waits = [self._wait(key, limit, now) for key, limit in budgets]
            if any(waits):
                raise Throttled(max(waits))
            attempt = new_attempt_id()
            for key, limit in budgets:
                self._attempts.setdefault(key, (limit, deque()))[1].append((now, attempt))
            return Ticket(tuple(key for key, _ in budgets), attempt)

    def give_back(self, ticket: Ticket) -> None:
        with self._lock:
            for key in ticket.keys:
                entry = self._attempts.get(key)
                if entry is None:
                    continue
                for taken in entry[1]:
                    if taken[1] == ticket.attempt:
                        entry[1].remove(taken)
                        break

    def close(self) -> None:
        pass  # nothing to release

    def _wait(self, key: Key, limit: Limit, now: float) -> int:
        """Seconds until `key` has an attempt left (0: it has one now)."""
        entry = self._attempts.get(key)
        if entry is None:
            return 0
        taken = entry[1]
        while taken and taken[0][0] <= now - limit.window_seconds:
            taken.popleft()
        if len(taken) < limit.attempts:
            return 0
        # The oldest attempt leaving the window frees the next one.
        return max(1, math.ceil(taken[0][0] + limit.window_seconds - now))

    def _sweep(self, now: float) -> None:
        if now - self._swept_at < _SWEEP_SECONDS:
            return
        self._swept_at = now
        for key, (limit, taken) in list(self._attempts.items()):
            if not taken or taken[-1][0] <= now - limit.window_seconds:
                del self._attempts[key]


def store_description(redis_url: str) -> str:
    """Which store counts the limits, for the start-up log."""
    if redis_url:
        return "redis (shared by every instance)"
    return "memory (this instance only; set REDIS_URL to share them)"
