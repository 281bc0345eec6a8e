from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from rest_framework.test import APIClient

from accounts.models import User
from tests.helpers import PASSWORD, client_for


@pytest.fixture
def api_client() -> APIClient:
    # Unhandled exceptions become responses, as they would in production.
    return APIClient(raise_request_exception=False)


@pytest.fixture(scope="session")
def password_hash() -> str:
    # Argon2id is slow by design: hash the shared test password once per run, not per user.
    return make_password(PASSWORD)


@pytest.fixture
def make_user(db: None, password_hash: str) -> Callable[..., User]:
    def make(email: str = "alice@example.com", password: str = PASSWORD) -> User:
        user = User.objects.create_user(email)
        user.password = password_hash if password == PASSWORD else make_password(password)
        user.save(update_fields=["password"])
        return user

    return make


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user()


@pytest.fixture
def auth_client(user: User) -> APIClient:
    return client_for(user)


@pytest.fixture
def fast_hashing(settings) -> None:
    """For tests that create accounts but are not about hashing: Argon2id takes a while."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Argon2 password verification, as the hash it was checked against.

    The verification itself becomes a comparison with PASSWORD, so tests that log in
    dozens of times stay fast; the stored hashes are real.
    """
    checked: list[str] = []
    lock = threading.Lock()

    def verify(self: Argon2PasswordHasher, password: str, encoded: str) -> bool:
        with lock:
            checked.append(encoded)
        return password == PASSWORD

    monkeypatch.setattr(Argon2PasswordHasher, "verify", verify)
    return checked
