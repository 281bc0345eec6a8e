"""The rate limit store every instance shares: Redis, one Lua script per attempt.

Each budget is a sorted set of attempt ids scored by the time they were taken (Redis's
clock, so instances whose clocks differ still agree). The script prunes what left the
window, checks every budget and adds the attempt to all of them, or to none, in one
atomic step and one round trip; each key expires with its newest attempt's window.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading

from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from .throttle import Budget, Key, StoreUnavailable, Throttled, Ticket, new_attempt_id

logger = logging.getLogger(__name__)

# A dead Redis must not hold requests: at most a second to connect or to answer. One
# immediate retry reconnects after a restart, which closed the pooled connections.
TIMEOUT_SECONDS = 1.0

# KEYS: one sorted set per budget. ARGV[1]: the attempt's id; then, per key, its
# attempts and window in milliseconds. Returns 0 (taken) or the milliseconds to wait.
_TAKE = """
local time = redis.call('TIME')
local now = time[1] * 1000 + math.floor(time[2] / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local attempts = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= attempts then
    -- A slot frees when the attempt `attempts` places before the newest leaves the window.
    local freeing = redis.call('ZRANGE', key, count - attempts, count - attempts, 'WITHSCORES')
    wait = math.max(wait, tonumber(freeing[2]) + window - now)
  end
end
if wait > 0 then
  return wait
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, ARGV[2 * i + 1])
end
return 0
"""


class RedisThrottle:
    """Counts in Redis under `key_prefix`, so several applications can share one server."""

    def __init__(self, client: Redis, key_prefix: str) -> None:
        self._redis = client
        self._prefix = key_prefix
        self._take = client.register_script(_TAKE)
        self._lock = threading.Lock()
        self._failing = False

    @classmethod
    def from_url(cls, url: str, key_prefix: str) -> RedisThrottle:
        client = Redis.from_url(
            url,
            socket_connect_timeout=TIMEOUT_SECONDS,
            socket_timeout=TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), retries=1),
        )
        return cls(client, key_prefix)

    def key(self, key: Key) -> str:
        """The Redis key of a budget: `<prefix><what>:<digest of whom>`.

        Addresses and emails are hashed: no personal data sits in Redis, every key has the
        same length, and no character of an email can make two budgets collide.
        """
        what, *whom = key
        return f"{self._prefix}{what}:{hashlib.sha256(json.dumps(whom).encode()).hexdigest()}"

    def take(self, *budgets: Budget) -> Ticket:
        attempt = new_attempt_id()
        keys = [self.key(key) for key, _ in budgets]
        args: list[str | int] = [attempt]
        for _, limit in budgets:
            args += [limit.attempts, limit.window_seconds * 1000]
        try:
            # The same id is added however often a lost answer makes the client retry,
            # so a retry cannot count one attempt twice.
            wait_ms = int(self._take(keys=keys, args=args))
        except RedisError as exc:
            self._report_failure(exc)
            raise StoreUnavailable from exc
        self._report_recovery()
        if wait_ms:
            raise Throttled(max(1, math.ceil(wait_ms / 1000)))
        return Ticket(tuple(key for key, _ in budgets), attempt)

    def give_back(self, ticket: Ticket) -> None:
        pipeline = self._redis.pipeline()  # MULTI ... EXEC: one round trip
        for key in ticket.keys:
            pipeline.zrem(self.key(key), ticket.attempt)
        try:
            pipeline.execute()
        except RedisError as exc:
            # The login itself succeeded; its attempt simply stays counted until it expires.
            self._report_failure(exc)
        else:
            self._report_recovery()

    def close(self) -> None:
        self._redis.close()

    def _report_failure(self, error: RedisError) -> None:
        # One line when Redis stops answering, not one traceback per refused request.
        with self._lock:
            first, self._failing = not self._failing, True
        if first:
            logger.error(
                "rate limit store unavailable (logins and registrations refused): %s", error
            )

    def _report_recovery(self) -> None:
        if not self._failing:
            return
        with self._lock:
            recovered, self._failing = self._failing, False
        if recovered:
            logger.warning("rate limit store available again")
