"""Container health probe: GET /health on the loopback interface.

Django checks the Host header against DJANGO_ALLOWED_HOSTS, so the probe sends the
first configured host name rather than 127.0.0.1.
"""

import os
import sys
import urllib.request


def probe_host() -> str:
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")  # ".example.com" allows example.com itself
        if host and host != "*":
            return host
    return "localhost"


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/health"
    request = urllib.request.Request(url, headers={"Host": probe_host()})
    try:
        with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310 (fixed URL)
            return 0 if response.status == 200 else 1
    except OSError:  # connection refused, timeout, or an HTTP error status
        return 1


if __name__ == "__main__":
    sys.exit(main())
