"""TRUSTED_PROXIES: forwarded headers are believed from the proxies it lists, from nobody else."""

import dataclasses
import ipaddress
from collections.abc import Callable
from unittest import mock

import pytest
from flask import Flask

from app.config import ConfigError, Settings, load_settings, parse_trusted_proxies
from app.proxies import TrustedProxies

from .test_config import GOOD_SECRET
from .test_throttle import WRONG, assert_throttled, attempt

PROXY = "10.0.0.5"


@pytest.fixture
def proxied_app(make_app: Callable[[Settings], Flask], settings: Settings) -> Flask:
    trusted = parse_trusted_proxies("10.0.0.0/8, ::1")
    return make_app(dataclasses.replace(settings, trusted_proxies=trusted))


def test_a_trusted_proxy_makes_each_forwarded_address_its_own_client(proxied_app, account) -> None:
    client = proxied_app.test_client()
    for n in range(7):
        forwarded = {"X-Forwarded-For": f"203.0.113.{n}"}
        assert attempt(client, account.email, WRONG, ip=PROXY, **forwarded).status_code == 401
    # ...and one forwarded address is still one client.
    forwarded = {"X-Forwarded-For": "203.0.113.100"}
    for _ in range(5):
        assert attempt(client, account.email, WRONG, ip=PROXY, **forwarded).status_code == 401
    assert_throttled(attempt(client, account.email, WRONG, ip=PROXY, **forwarded), 60)


def test_an_untrusted_peer_cannot_choose_its_address(proxied_app, account) -> None:
    client = proxied_app.test_client()
    for n in range(5):
        forwarded = {"X-Forwarded-For": f"203.0.113.{n}"}
        assert attempt(client, account.email, WRONG, **forwarded).status_code == 401
    forwarded = {"X-Forwarded-For": "203.0.113.99"}
    assert_throttled(attempt(client, account.email, WRONG, **forwarded), 60)


def test_addresses_a_client_prepends_are_not_believed(proxied_app, account) -> None:
    # The trusted proxy appends the address it saw (192.0.2.1); what comes before it is
    # whatever the client sent.
    client = proxied_app.test_client()
    for n in range(5):
        forwarded = {"X-Forwarded-For": f"198.51.100.{n}, 192.0.2.1"}
        assert attempt(client, account.email, WRONG, ip=PROXY, **forwarded).status_code == 401
    forwarded = {"X-Forwarded-For": "198.51.100.99, 192.0.2.1"}
    assert_throttled(attempt(client, account.email, WRONG, ip=PROXY, **forwarded), 60)


def seen_by_app(middleware: TrustedProxies, peer: str, **headers: str) -> tuple[str, str]:
    seen: dict[str, str] = {}

    def app(environ, start_response):
        seen.update(address=environ["REMOTE_ADDR"], scheme=environ["wsgi.url_scheme"])
        return []

    middleware.app = app
    environ = {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http"}
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    middleware(environ, mock.Mock())
    return seen["address"], seen["scheme"]


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),
        ("10.0.0.5", "203.0.113.7, 10.1.1.1, 10.2.2.2", "203.0.113.7"),  # two proxies deep
        ("10.0.0.5", "10.1.1.1, 10.2.2.2", "10.1.1.1"),  # every hop a proxy: the farthest
        ("10.0.0.5", "", "10.0.0.5"),
        ("10.0.0.5", "203.0.113.7, not-an-address", "10.0.0.5"),
        ("10.0.0.5", "not-an-address, 10.1.1.1", "10.1.1.1"),
        ("::ffff:10.0.0.5", "2001:db8::7", "2001:db8::7"),
        ("192.0.2.1", "203.0.113.7", "192.0.2.1"),  # not a proxy
        ("unix-socket", "203.0.113.7", "unix-socket"),
    ],
)
def test_the_client_is_the_last_address_before_the_trusted_proxies(
    peer: str, forwarded_for: str, client: str
) -> None:
    middleware = TrustedProxies(lambda *_: [], [ipaddress.ip_network("10.0.0.0/8")])
    assert seen_by_app(middleware, peer, X_FORWARDED_FOR=forwarded_for)[0] == client


def test_the_scheme_is_believed_from_a_trusted_proxy_only() -> None:
    middleware = TrustedProxies(lambda *_: [], [ipaddress.ip_network("10.0.0.5/32")])
    assert seen_by_app(middleware, "10.0.0.5", X_FORWARDED_PROTO="https")[1] == "https"
    assert seen_by_app(middleware, "192.0.2.1", X_FORWARDED_PROTO="https")[1] == "http"
    assert seen_by_app(middleware, "10.0.0.5", X_FORWARDED_PROTO="gopher")[1] == "http"


def test_nothing_is_trusted_by_default() -> None:
    assert load_settings({"JWT_SECRET": GOOD_SECRET}).trusted_proxies == ()


def test_trusted_proxies_take_addresses_and_ranges() -> None:
    settings = load_settings({"JWT_SECRET": GOOD_SECRET, "TRUSTED_PROXIES": "10.0.0.1, fd00::/8,"})
    assert [str(network) for network in settings.trusted_proxies] == ["10.0.0.1/32", "fd00::/8"]


@pytest.mark.parametrize("value", ["10.0.0.0/33", "proxy.internal", "10.0.0.1/8", "*"])
def test_an_invalid_trusted_proxy_is_refused_by_name(value: str) -> None:
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        load_settings({"JWT_SECRET": GOOD_SECRET, "TRUSTED_PROXIES": value})
