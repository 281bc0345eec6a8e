from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from tests.helpers import PASSWORD, client_for


@pytest.fixture
def api_client() -> APIClient:
    # Unhandled exceptions become responses, as they would in production.
    return APIClient(raise_request_exception=False)


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(email: str = "alice@example.com", password: str = PASSWORD) -> User:
        return User.objects.create_user(email, password)

    return make


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user()


@pytest.fixture
def auth_client(user: User) -> APIClient:
    return client_for(user)
