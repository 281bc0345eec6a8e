from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any, TypeVar

from django.db import connections
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import issue_access_token

PASSWORD = "correct horse battery staple"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

T = TypeVar("T")


def client_for(user: User) -> APIClient:
    """A client sending a valid access token for ``user``."""
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user.pk).token}")
    return client


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status; returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert "Traceback" not in response.content.decode()
    return body


def assert_security_headers(response: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.get(name) == value, name


def in_parallel(*calls: Callable[[], T]) -> list[T]:
    """Run the calls at the same moment, each in a thread with its own database connection.

    Only tests marked ``django_db(transaction=True)`` see each other's writes this way.
    """
    start = Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        try:
            start.wait(timeout=10)
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
