"""Rate limits for login and registration, kept in the database.

* login: 5 failures per (client address, email) in 60 s, and 30 failures per client
  address in 900 s, whatever the emails;
* registration: 10 attempts per client address in 3600 s.

Each limit is a budget of attempts per key and window (``RateLimit`` rows). An attempt
takes a unit out of the budget *before* the password is verified or hashed, with one
conditional UPDATE: concurrent requests can never take more units than the budget holds,
so 20 parallel guesses still get at most 5 password checks. A successful login gives its
unit back, so only failures count.

The budgets live in the database, not in Django's cache: the default cache is private to
each process (several gunicorn workers would each allow the full budget), and the
database cache backend's ``incr`` is a read followed by a write. The database is shared
by every worker and container, and its row locks make the UPDATE atomic.

The client address is the TCP peer (``REMOTE_ADDR``). ``X-Forwarded-For`` is ignored: any
client can send it, and honouring it would let one client take a fresh budget per request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.exceptions import Throttled

from accounts.models import RateLimit


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


class Budget:
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
            Budget(Limit.from_settings("login"), address, email),
            Budget(Limit.from_settings("login_address"), address),
        )

    def reserve(self) -> None:
        """Take an attempt from both budgets, or from neither and raise Throttled."""
        taken: list[Budget] = []
        try:
            for budget in self.budgets:
                budget.take()
                taken.append(budget)
        except Throttled:
            for budget in taken:
                budget.give_back()
            raise

    def succeeded(self) -> None:
        for budget in self.budgets:
            budget.give_back()


def take_registration_attempt(request: HttpRequest) -> None:
    """Count one registration of this client address; raise Throttled past the limit."""
    Budget(Limit.from_settings("register"), client_address(request)).take()
