"""Rate limits for login and registration, kept in Redis or in the database.

* login: 5 failures per (client address, email) in 60 s, and 30 failures per client
  address in 900 s, whatever the emails;
* registration: 10 attempts per client address in 3600 s.

Each limit is a budget of attempts per key and window. An attempt takes a unit out of
the budget *before* the password is verified or hashed, atomically: concurrent requests
can never take more units than the budget holds, so 20 parallel guesses still get at
most 5 password checks. A successful login gives its unit back, so only failures count.

With REDIS_URL set the budgets are Redis keys (accounts/redis_budget.py), shared by every
instance of the app. Otherwise they are ``RateLimit`` rows taken with one conditional
UPDATE, shared by the workers and the instances that use the same database. Not Django's
cache: the default cache is private to each process (several gunicorn workers would each
allow the full budget), the database cache backend's ``incr`` is a read followed by a
write, and the Redis backend's ``incr`` checks that the key exists before INCR, which
recreates a key that expired in between without an expiry.

The client address is ``REMOTE_ADDR``: the TCP peer, or the address a trusted proxy
forwarded (core.middleware.TrustedProxyMiddleware). A client's own ``X-Forwarded-For`` is
ignored: honouring it would let one client take a fresh budget per request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.exceptions import APIException, Throttled

from accounts.models import RateLimit
from accounts.redis_budget import RedisBudget


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    window: timedelta

    @classmethod
    def from_settings(cls, name: str) -> Limit:
        attempts, seconds = settings.RATE_LIMITS[name]
        return cls(name, attempts, timedelta(seconds=seconds))


def client_address(request: HttpRequest) -> str:
    """The TCP peer's address: what every limit is keyed on."""
    return request.META.get("REMOTE_ADDR") or ""


def store_description() -> str:
    """Where the budgets are kept, for the start-up log."""
    if settings.REDIS_URL:
        return "rate limits: redis (shared by every instance)"
    if connection.vendor == "sqlite":
        return "rate limits: database (this instance only; set REDIS_URL to share them)"
    return (
        "rate limits: database (shared by the instances on this database; "
        "set REDIS_URL to keep them in Redis)"
    )


class Budget(Protocol):
    def take(self) -> None: ...

    def give_back(self) -> None: ...


def budget(limit: Limit, *parts: str) -> Budget:
    """The budget of ``limit`` for one client (``parts``), in the configured store."""
    if settings.REDIS_URL:
        return RedisBudget(limit.name, limit.attempts, limit.window.total_seconds(), *parts)
    return DatabaseBudget(limit, *parts)


class DatabaseBudget:
    """The attempts left to one key (a limit and, say, a client address) in its window."""

    def __init__(self, limit: Limit, *parts: str) -> None:
        self.limit = limit
        # Hashed: the table holds neither addresses nor emails.
        self.key = hashlib.sha256("\n".join((limit.name, *parts)).encode()).hexdigest()
        self._window_end: datetime | None = None

    def take(self) -> None:
        """Take one attempt out of the budget, or raise Throttled (429 with Retry-After)."""
        rows = RateLimit.objects.filter(key=self.key)
        for _ in range(3):  # a retry only follows a concurrent request's change
            now = timezone.now()
            window_end = now + self.limit.window
            # One unit of the running window, if any is left. The condition is checked by
            # the UPDATE itself, under the row's lock: this is what makes it atomic.
            current = rows.filter(resets_at__gt=now, used__lt=self.limit.attempts)
            if current.update(used=F("used") + 1):
                self._window_end = rows.values_list("resets_at", flat=True).first()
                return
            # The window has passed: this attempt opens the next one.
            if rows.filter(resets_at__lte=now).update(used=1, resets_at=window_end):
                self._window_end = window_end
                return
            state = rows.values_list("used", "resets_at").first()
            if state is None:
                if self._open(now, window_end):
                    return
            elif state[0] >= self.limit.attempts and state[1] > now:
                raise Throttled(wait=(state[1] - now).total_seconds())
        raise Throttled(wait=self.limit.window.total_seconds())

    def give_back(self) -> None:
        """Return the unit taken by ``take`` (a login that succeeded is not a failure)."""
        if self._window_end is not None:
            RateLimit.objects.filter(key=self.key, resets_at=self._window_end, used__gt=0).update(
                used=F("used") - 1
            )
            self._window_end = None

    def _open(self, now: datetime, window_end: datetime) -> bool:
        """First attempt of this key: insert its row (False if a concurrent request did)."""
        RateLimit.objects.filter(resets_at__lte=now).delete()  # forget windows long gone
        try:
            with transaction.atomic():
                RateLimit.objects.create(key=self.key, used=1, resets_at=window_end)
        except IntegrityError:
            return False
        self._window_end = window_end
        return True


class LoginThrottle:
    """Both login budgets: per (address, email) and per address across emails."""

    def __init__(self, request: HttpRequest, email: str) -> None:
        address = client_address(request)
        self.budgets = (
            budget(Limit.from_settings("login"), address, email),
            budget(Limit.from_settings("login_address"), address),
        )

    def reserve(self) -> None:
        """Take an attempt from both budgets, or from neither and raise Throttled (or
        ServiceUnavailable when the store is down)."""
        taken: list[Budget] = []
        try:
            for each in self.budgets:
                each.take()
                taken.append(each)
        except APIException:
            for each in taken:
                each.give_back()
            raise

    def succeeded(self) -> None:
        for each in self.budgets:
            each.give_back()


def take_registration_attempt(request: HttpRequest) -> None:
    """Count one registration of this client address; raise Throttled past the limit."""
    budget(Limit.from_settings("register"), client_address(request)).take()
