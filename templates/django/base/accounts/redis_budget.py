"""Rate-limit budgets in Redis (REDIS_URL): one count per key, shared by every instance.

Each budget is one Redis key, ``<project name>:rl:<SHA-256 of the limit and client>``,
holding the attempts used in its window and expiring with the window: Redis forgets
old windows by itself. Taking and giving back an attempt are Lua scripts, so each is
one round trip that Redis runs atomically: no other request's command runs between
reading the count and changing it, and the key is created with its expiry in the same
step (an INCR followed by an EXPIRE could leave a key that never expires, locking a
client out for good if the second command never arrived).

When Redis cannot be reached, login and registration answer 503 rather than skipping
the limit: an outage must not be an open door for password guessing.
"""

from __future__ import annotations

import hashlib
import logging

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry
from rest_framework.exceptions import Throttled

from core.exceptions import ServiceUnavailable

logger = logging.getLogger(__name__)

# How long a client should wait before trying again while Redis is unreachable.
UNAVAILABLE_RETRY_AFTER = 5

# KEYS[1]: the budget; ARGV[1]: attempts per window; ARGV[2]: window length in ms.
# Returns {1, ms left in the window} when an attempt was taken, {0, ms left} when the
# budget is spent. The first attempt opens the window; a refused one does not count.
TAKE = """
local used = tonumber(redis.call('GET', KEYS[1]))
if not used then
    redis.call('SET', KEYS[1], 1, 'PX', ARGV[2])
    return {1, tonumber(ARGV[2])}
end
local left = redis.call('PTTL', KEYS[1])
if used >= tonumber(ARGV[1]) then
    return {0, left}
end
redis.call('INCR', KEYS[1])
return {1, left}
"""

# KEYS[1]: the budget. Never creates the key (its window may have ended) and never
# counts below zero; DECR keeps the key's expiry.
GIVE_BACK = """
local used = tonumber(redis.call('GET', KEYS[1]))
if used and used > 0 then
    redis.call('DECR', KEYS[1])
end
return 0
"""


_clients: dict[str, redis.Redis] = {}


def client(url: str) -> redis.Redis:
    """One client (and connection pool) per URL, shared by the threads of a process.

    Timeouts of one second: a Redis that does not answer costs a request a second or
    two, never a hang. One immediate retry on a new connection replaces a connection
    Redis closed (a restart); after that the request fails and the next one reconnects.
    """
    if url not in _clients:
        # Connections are opened on first use: a client made by a concurrent request
        # and dropped here never connected.
        _clients.setdefault(
            url,
            redis.Redis.from_url(
                url, socket_connect_timeout=1, socket_timeout=1, retry=Retry(NoBackoff(), 1)
            ),
        )
    return _clients[url]


def close_clients() -> None:
    """Close every connection to Redis (when a server process stops)."""
    while _clients:
        _clients.popitem()[1].close()


class RedisBudget:
    """The attempts left to one key (a limit and, say, a client address) in its window."""

    def __init__(self, name: str, attempts: int, window_seconds: float, *parts: str) -> None:
        digest = hashlib.sha256("\n".join((name, *parts)).encode()).hexdigest()
        self.key = f"{settings.RATE_LIMIT_KEY_PREFIX}{digest}"
        self.attempts = attempts
        self.window_ms = round(window_seconds * 1000)
        self._taken = False

    def take(self) -> None:
        """Take one attempt, or raise Throttled (429) when none is left, or
        ServiceUnavailable (503) when Redis cannot be reached."""
        redis_client = client(settings.REDIS_URL)
        try:
            taken, left_ms = redis_client.register_script(TAKE)(
                keys=[self.key], args=[self.attempts, self.window_ms]
            )
        except redis.RedisError as exc:
            logger.error("rate limit store unavailable: %s", exc)
            raise ServiceUnavailable(
                "rate limit store unavailable", wait=UNAVAILABLE_RETRY_AFTER
            ) from None
        if not taken:
            raise Throttled(wait=max(left_ms, 0) / 1000)
        self._taken = True

    def give_back(self) -> None:
        """Return the attempt taken by ``take`` (a login that succeeded is not a failure)."""
        if not self._taken:
            return
        self._taken = False
        try:
            client(settings.REDIS_URL).register_script(GIVE_BACK)(keys=[self.key])
        except redis.RedisError as exc:
            # The attempt stays counted: stricter than intended, never looser.
            logger.error("rate limit store unavailable, an attempt was not given back: %s", exc)
