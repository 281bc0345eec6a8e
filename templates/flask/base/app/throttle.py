"""Login throttling: failed attempts per (client IP, email) in a moving window.

Counts live in a `limits` storage. The default, `memory://`, is per process:
with several Gunicorn workers or instances, point RATELIMIT_STORAGE_URI at a
shared store (e.g. `redis://redis:6379/0`, after `pip install limits[redis]`)
so every process sees the same counts.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class LoginThrottle:
    def __init__(self, storage_uri: str, *, attempts: int = 5, window_seconds: int = 60) -> None:
        self._storage = storage_from_string(storage_uri)
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._limit = RateLimitItemPerSecond(attempts, window_seconds)

    def retry_after(self, client: str, email: str) -> int | None:
        """Seconds until `client` may try `email` again, or None when it may now."""
        if self._limiter.test(self._limit, "login", client, email):
            return None
        reset_at, _remaining = self._limiter.get_window_stats(self._limit, "login", client, email)
        return max(1, math.ceil(reset_at - time.time()))

    def record_failure(self, client: str, email: str) -> None:
        # Successful logins reset nothing: failures only age out of the window,
        # so the budget is exactly `attempts` failures per window.
        self._limiter.hit(self._limit, "login", client, email)
