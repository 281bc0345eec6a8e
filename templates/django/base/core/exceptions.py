"""API errors of this project's own, next to DRF's (rest_framework.exceptions).

Kept apart from core/problems.py, which renders them: that module imports DRF's views,
and modules loaded while DRF reads its settings (authentication, rate limits) must not.
"""

from __future__ import annotations

from rest_framework.exceptions import APIException


class ServiceUnavailable(APIException):
    """503 with Retry-After: something the request needs is down for now.

    ``detail`` names what, never how it failed: the cause goes to the log.
    """

    status_code = 503
    default_code = "service_unavailable"

    def __init__(self, detail: str, *, wait: float) -> None:
        super().__init__(detail)
        self.wait = wait
