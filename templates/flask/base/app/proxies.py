"""X-Forwarded-For and X-Forwarded-Proto, believed only from the peers in TRUSTED_PROXIES.

Werkzeug's ProxyFix believes a fixed number of hops from whoever connects, so a client
reaching the server directly could pick the address its rate limits are counted under.
Here the forwarded headers count only when the connection comes from a trusted proxy;
otherwise the peer is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from .config import IPNetwork

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TrustedProxies:
    """WSGI middleware: sets REMOTE_ADDR and the URL scheme from a trusted proxy's headers."""

    def __init__(self, app: WSGIApplication, networks: Sequence[IPNetwork]) -> None:
        self.app = app
        self.networks = tuple(networks)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        # Without trusted proxies (the default) there is nothing to parse on any request.
        if self.networks and self.trusts(_address(environ.get("REMOTE_ADDR", ""))):
            client = self.client_address(environ.get("HTTP_X_FORWARDED_FOR", ""))
            if client is not None:
                environ["REMOTE_ADDR"] = client
            # The proxy nearest to us appends last.
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").rsplit(",", 1)[-1].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
        return self.app(environ, start_response)

    def trusts(self, address: IPAddress | None) -> bool:
        return address is not None and any(address in network for network in self.networks)

    def client_address(self, forwarded_for: str) -> str | None:
        """The right-most address in X-Forwarded-For that is not a trusted proxy.

        Each proxy appends the address it received the request from, so the entries to
        the left of the last untrusted one were written by the client and prove nothing.
        An entry that is not an address ends the walk at the last one believed; None when
        there is none.
        """
        client = None
        for entry in reversed(forwarded_for.split(",")):
            address = _address(entry.strip())
            if address is None:
                break
            client = str(address)
            if not self.trusts(address):
                break
        return client


def _address(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:203.0.113.7) is that IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
