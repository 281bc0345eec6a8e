"""Middleware: the client behind trusted proxies, the security headers on every
response, and CORS."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from corsheaders.conf import conf as cors_conf
from corsheaders.middleware import CorsMiddleware as BaseCorsMiddleware
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest
from django.http.response import HttpResponseBase

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_address(value: str) -> IPAddress | None:
    """An IP address, IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) as IPv4; else None."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


class TrustedProxyMiddleware:
    """Sets ``REMOTE_ADDR`` to the client's address when a trusted proxy forwarded the request.

    Only a TCP peer inside TRUSTED_PROXIES is believed. Its ``X-Forwarded-For`` is read
    from the right, where each proxy appends the address it received the request from,
    and the first address that is not a trusted proxy itself is the client; whatever
    stands left of it came from that client and proves nothing. From any other peer both
    ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are removed: the peer is the client, and
    the scheme is the connection's own.

    The rate limits key on ``REMOTE_ADDR``, so without this a client could take a fresh
    budget per request by sending a new ``X-Forwarded-For``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.proxies = tuple(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        peer = parse_address(request.META.get("REMOTE_ADDR", "")) if self.proxies else None
        if peer is not None and self.is_trusted(peer):
            forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "")
            request.META["REMOTE_ADDR"] = str(self.client_address(forwarded_for, peer))
        else:
            request.META.pop("HTTP_X_FORWARDED_FOR", None)
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)

    def is_trusted(self, address: IPAddress) -> bool:
        return any(address in network for network in self.proxies)

    def client_address(self, forwarded_for: str, peer: IPAddress) -> IPAddress:
        """The right-most address of X-Forwarded-For that is not a trusted proxy."""
        client = peer
        for item in reversed(forwarded_for.split(",")):
            address = parse_address(item)
            if address is None:
                break  # not an address: nothing left of it can be trusted either
            client = address
            if not self.is_trusted(address):
                break
        return client


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

    Origins come from CORS_ORIGINS; any other origin gets no CORS headers at all. With
    none configured there is nothing to add to any response, and the middleware leaves
    the chain at start-up instead of inspecting every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not (
            cors_conf.CORS_ALLOWED_ORIGINS
            or cors_conf.CORS_ALLOWED_ORIGIN_REGEXES
            or cors_conf.CORS_ALLOW_ALL_ORIGINS
        ):
            raise MiddlewareNotUsed
        super().__init__(get_response)

    def check_preflight(self, request: HttpRequest) -> HttpResponseBase | None:
        response = super().check_preflight(request)
        if response is not None:
            response.status_code = 204
            del response["Content-Length"]
            del response["Content-Type"]
        return response
