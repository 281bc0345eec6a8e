"""Rate limits kept in Redis (REDIS_URL), shared by every instance of the app.

The Redis-backed tests need a Redis to talk to: set TEST_REDIS_URL (e.g.
redis://127.0.0.1:6379/15). Each test keeps its keys under a prefix of its own and
deletes them afterwards. Without TEST_REDIS_URL they are skipped; the tests of an
unreachable Redis always run.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from django.contrib.auth.hashers import Argon2PasswordHasher
from rest_framework.test import APIClient

from accounts.models import User
from accounts.redis_budget import close_clients
from tests.helpers import PASSWORD, assert_problem, in_parallel

LOGIN = "/api/v1/auth/login"
REGISTER = "/api/v1/auth/register"
ADDRESS = "203.0.113.7"

pytestmark = pytest.mark.django_db


def login(client, email, password, address=ADDRESS):
    return client.post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=address)


def fail(client, email, times):
    return [login(client, email, "wrong password").status_code for _ in range(times)]


@pytest.fixture
def redis_store(settings) -> Iterator[redis.Redis]:
    """The app's limits in the Redis at TEST_REDIS_URL, under a prefix of this test's own."""
    url = os.environ.get("TEST_REDIS_URL", "").strip()
    if not url:
        pytest.skip("set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to test the Redis store")
    settings.REDIS_URL = url
    settings.RATE_LIMIT_KEY_PREFIX = f"test-{uuid.uuid4().hex}:rl:"
    direct = redis.Redis.from_url(url)
    try:
        yield direct
    finally:
        keys = list(direct.scan_iter(f"{settings.RATE_LIMIT_KEY_PREFIX}*"))
        if keys:
            direct.delete(*keys)
        direct.close()
        close_clients()


@pytest.fixture
def unreachable_redis(settings) -> Iterator[None]:
    """REDIS_URL pointing at a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    yield
    close_clients()


@pytest.mark.usefixtures("redis_store")
class TestSharedLimits:
    def test_the_sixth_failure_is_refused_without_verifying(self, api_client, user, verifications):
        assert fail(api_client, user.email, 5) == [401] * 5

        response = login(api_client, user.email, PASSWORD)

        assert_problem(response, 429)
        assert 1 <= int(response["Retry-After"]) <= 60
        assert len(verifications) == 5

    def test_the_count_lives_in_redis_not_in_the_process(self, api_client, user, verifications):
        assert fail(api_client, user.email, 5) == [401] * 5
        close_clients()  # as if the next request reached another instance

        assert login(APIClient(), user.email, PASSWORD).status_code == 429

    def test_successful_logins_give_their_attempt_back(self, api_client, user, verifications):
        for _ in range(6):
            assert login(api_client, user.email, PASSWORD).status_code == 200
        assert fail(api_client, user.email, 4) == [401] * 4

        assert login(api_client, user.email, PASSWORD).status_code == 200

    def test_thirty_failures_with_any_emails_lock_the_address(self, api_client, verifications):
        for n in range(30):
            assert fail(api_client, f"user{n}@example.com", 1) == [401]

        response = login(api_client, "someone-else@example.com", "wrong password")

        assert 840 <= int(response["Retry-After"]) <= 900

    def test_the_eleventh_registration_is_refused(self, api_client, user):
        body = {"email": user.email, "password": PASSWORD}
        for _ in range(10):
            assert_problem(api_client.post(REGISTER, body, REMOTE_ADDR=ADDRESS), 409)

        response = api_client.post(
            REGISTER, {**body, "email": "new@example.com"}, REMOTE_ADDR=ADDRESS
        )

        assert_problem(response, 429)
        assert 3500 <= int(response["Retry-After"]) <= 3600
        assert not User.objects.filter(email="new@example.com").exists()

    def test_keys_are_prefixed_hashed_and_expire_with_their_window(
        self, api_client, user, verifications, redis_store, settings
    ):
        fail(api_client, user.email, 1)

        keys = sorted(redis_store.scan_iter(f"{settings.RATE_LIMIT_KEY_PREFIX}*"))
        assert len(keys) == 2  # (address, email) and address
        windows = sorted(redis_store.pttl(key) for key in keys)
        assert 0 < windows[0] <= 60_000  # per address and email
        assert 60_000 < windows[1] <= 900_000  # per address
        for key in keys:
            assert user.email.encode() not in key
            assert ADDRESS.encode() not in key
            assert int(redis_store.get(key) or 0) == 1

    def test_the_lock_ends_with_the_window(self, api_client, user, verifications, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (2, 1)}
        assert fail(api_client, user.email, 3) == [401, 401, 429]

        time.sleep(1.1)  # Redis expires the key by itself

        assert login(api_client, user.email, PASSWORD).status_code == 200

    @pytest.mark.django_db(transaction=True)
    def test_concurrent_attempts_verify_at_most_five_passwords(self, user, monkeypatch):
        checked = []

        def slow_verify(self, password, encoded):
            checked.append(password)
            time.sleep(0.05)  # every request is in flight before any failure is recorded
            return False

        monkeypatch.setattr(Argon2PasswordHasher, "verify", slow_verify)

        def attempt():
            client = APIClient(raise_request_exception=False)
            return login(client, user.email, "wrong password").status_code

        statuses = in_parallel(*[attempt] * 20)

        assert len(checked) == 5
        assert sorted(statuses) == [401] * 5 + [429] * 15


@pytest.mark.usefixtures("unreachable_redis")
class TestRedisUnreachable:
    """Fail closed: no Redis, no login or registration; everything else keeps working."""

    def test_login_answers_503_without_verifying(self, api_client, user, verifications, caplog):
        caplog.set_level(logging.ERROR, logger="accounts.redis_budget")
        started = time.monotonic()

        response = login(api_client, user.email, PASSWORD)

        assert time.monotonic() - started < 5
        body = assert_problem(response, 503)
        assert body["title"] == "Service Unavailable"
        assert body["detail"] == "rate limit store unavailable"
        assert response["Retry-After"] == "5"
        assert verifications == []
        # One line per failure, saying why, without a traceback.
        [record] = [r for r in caplog.records if r.name == "accounts.redis_budget"]
        assert record.getMessage().startswith("rate limit store unavailable: ")
        assert record.exc_info is None

    def test_registration_answers_503_without_creating_the_account(self, api_client):
        body = {"email": "new@example.com", "password": PASSWORD}

        response = api_client.post(REGISTER, body, REMOTE_ADDR=ADDRESS)

        assert_problem(response, 503)
        assert response["Retry-After"] == "5"
        assert not User.objects.filter(email="new@example.com").exists()

    def test_health_keeps_answering(self, api_client):
        assert api_client.get("/health").status_code == 200
