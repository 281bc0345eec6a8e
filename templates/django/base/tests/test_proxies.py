"""TRUSTED_PROXIES: forwarding headers are believed from the proxies listed, from no one else."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from core.middleware import TrustedProxyMiddleware
from tests.helpers import PASSWORD

LOGIN = "/api/v1/auth/login"
PROXY = "10.0.0.5"


@pytest.fixture
def trusted_proxies(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1")]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def seen_by_the_app(peer: str, **headers: Any) -> HttpRequest:
    """The request as the views see it after the middleware, sent by ``peer``."""
    seen: list[HttpRequest] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request)
        return HttpResponse()

    TrustedProxyMiddleware(view)(RequestFactory().get("/health", REMOTE_ADDR=peer, **headers))
    return seen[0]


@pytest.mark.usefixtures("trusted_proxies")
class TestMiddleware:
    @pytest.mark.parametrize(
        ("forwarded_for", "client"),
        [
            ("198.51.100.7", "198.51.100.7"),
            # The right-most address that is not a trusted proxy: what stands left of it
            # was written by the client and proves nothing.
            ("192.0.2.1, 198.51.100.7", "198.51.100.7"),
            ("192.0.2.1, 198.51.100.7, 10.1.2.3", "198.51.100.7"),
            (" 2001:db8::7 ", "2001:db8::7"),
            ("::ffff:198.51.100.7", "198.51.100.7"),
            ("198.51.100.7, not-an-address", PROXY),
            ("", PROXY),
        ],
    )
    def test_a_trusted_proxy_forwards_the_client_address(self, forwarded_for, client):
        request = seen_by_the_app(PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)

        assert request.META["REMOTE_ADDR"] == client

    def test_an_ipv4_mapped_proxy_address_is_trusted(self):
        request = seen_by_the_app(f"::ffff:{PROXY}", HTTP_X_FORWARDED_FOR="198.51.100.7")

        assert request.META["REMOTE_ADDR"] == "198.51.100.7"

    def test_another_peer_is_the_client_whatever_it_forwards(self):
        request = seen_by_the_app(
            "203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https"
        )

        assert request.META["REMOTE_ADDR"] == "203.0.113.9"
        assert "HTTP_X_FORWARDED_FOR" not in request.META
        assert not request.is_secure()

    def test_the_scheme_is_believed_from_a_trusted_proxy_only(self):
        assert seen_by_the_app(PROXY, HTTP_X_FORWARDED_PROTO="https").is_secure()
        assert not seen_by_the_app("203.0.113.9", HTTP_X_FORWARDED_PROTO="https").is_secure()


def test_without_trusted_proxies_nothing_forwarded_is_believed():
    request = seen_by_the_app(
        "127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https"
    )

    assert request.META["REMOTE_ADDR"] == "127.0.0.1"
    assert not request.is_secure()


@pytest.mark.django_db
@pytest.mark.usefixtures("trusted_proxies", "verifications")
class TestLoginLimits:
    def failed_login(self, api_client, user, peer, forwarded_for):
        body = {"email": user.email, "password": "wrong password"}
        return api_client.post(LOGIN, body, REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded_for)

    def test_a_rotating_forwarded_for_from_an_untrusted_peer_is_one_client(self, api_client, user):
        statuses = [
            self.failed_login(api_client, user, "203.0.113.9", f"198.51.100.{n}").status_code
            for n in range(6)
        ]

        assert statuses == [401] * 5 + [429]

    def test_behind_a_trusted_proxy_each_forwarded_address_is_a_client(self, api_client, user):
        statuses = [
            self.failed_login(api_client, user, PROXY, f"198.51.100.{n}").status_code
            for n in range(7)
        ]

        assert statuses == [401] * 7

    def test_what_a_client_prepends_behind_the_proxy_does_not_escape(self, api_client, user):
        # The proxy appends the address it saw; the rest is the client's own invention.
        statuses = [
            self.failed_login(api_client, user, PROXY, f"192.0.2.{n}, 198.51.100.7").status_code
            for n in range(6)
        ]

        assert statuses == [401] * 5 + [429]

    def test_behind_a_trusted_proxy_one_client_is_still_limited(self, api_client, user):
        statuses = [
            self.failed_login(api_client, user, PROXY, "198.51.100.7").status_code for _ in range(6)
        ]

        assert statuses == [401] * 5 + [429]
        body = {"email": user.email, "password": PASSWORD}
        other = api_client.post(LOGIN, body, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.8")
        assert other.status_code == 200
