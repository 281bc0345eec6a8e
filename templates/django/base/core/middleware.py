"""Middleware: the security headers on every response, and CORS."""

from __future__ import annotations

from collections.abc import Callable

from corsheaders.middleware import CorsMiddleware as BaseCorsMiddleware
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class SecurityHeadersMiddleware:
    """The security headers on every response, ``Cache-Control: no-store`` on the API,
    and HSTS in production.

    It is the outermost middleware, so it also sees the responses that other middleware
    answers by itself: the HTTPS redirect, the 400 for a Host not in ALLOWED_HOSTS (both
    from Django's SecurityMiddleware and CommonMiddleware), CORS preflights.

    Django's SecurityMiddleware only sends HSTS on requests it sees as HTTPS; behind a
    proxy that terminates TLS that depends on proxy settings being right, so production
    sends it on every response (browsers ignore it over plain HTTP).

    A response that sets its own Content-Security-Policy (the docs page) keeps it;
    everything else is JSON and may load nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.headers = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
            "X-Frame-Options": settings.X_FRAME_OPTIONS,
            "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
        }
        self.csp = settings.CONTENT_SECURITY_POLICY
        self.hsts = self._hsts_value()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        # request.path is percent-decoded, so /%61pi/v1/notes counts; so does //api/v1/notes,
        # which some clients and proxies treat as /api/v1/notes.
        if request.path.lstrip("/").startswith("api/"):
            response.headers["Cache-Control"] = "no-store"
        if self.hsts:
            response.headers.setdefault("Strict-Transport-Security", self.hsts)
        return response

    @staticmethod
    def _hsts_value() -> str | None:
        if not settings.PRODUCTION or not settings.SECURE_HSTS_SECONDS:
            return None
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        return value


class CorsMiddleware(BaseCorsMiddleware):
    """django-cors-headers, with preflight requests answered 204 No Content (it uses 200).

    Origins come from CORS_ORIGINS; any other origin gets no CORS headers at all.
    """

    def check_preflight(self, request: HttpRequest) -> HttpResponseBase | None:
        response = super().check_preflight(request)
        if response is not None:
            response.status_code = 204
            del response["Content-Length"]
            del response["Content-Type"]
        return response
