"""Login throttling: after 5 failed attempts within 60 s for one (client address, email)
pair, every attempt for that pair is refused with 429 until the window has passed.

Failures are rows in the database, not counters in Django's cache: the default cache
lives inside each process, so with several gunicorn workers (or containers) a cache
counter would allow 5 failures per process. The database is shared by all of them.
Only failures count, so a user who types the password right is never slowed down.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils import timezone
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from accounts.models import LoginFailure

MAX_FAILURES = 5
WINDOW = timedelta(seconds=60)


class LoginThrottle:
    def __init__(self, request: Request, email: str) -> None:
        # DRF's client address: REMOTE_ADDR, or X-Forwarded-For when NUM_PROXIES > 0.
        client = BaseThrottle().get_ident(request) or ""
        self.key = hashlib.sha256(f"{client}\n{email}".encode()).hexdigest()

    def check(self) -> None:
        """Raise Throttled (429 with Retry-After) while the pair is locked out."""
        now = timezone.now()
        recent = list(
            LoginFailure.objects.filter(key=self.key, created_at__gt=now - WINDOW)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:MAX_FAILURES]
        )
        if len(recent) >= MAX_FAILURES:
            # Locked until the oldest of the last MAX_FAILURES failures leaves the window.
            raise Throttled(wait=(recent[-1] + WINDOW - now).total_seconds())

    def record_failure(self) -> None:
        now = timezone.now()
        LoginFailure.objects.filter(created_at__lte=now - WINDOW).delete()
        LoginFailure.objects.create(key=self.key, created_at=now)
