from __future__ import annotations

import json
from typing import Any

from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import issue_access_token

PASSWORD = "correct horse battery staple"


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
