"""Rate limits: failed logins per (address, email) and per address, registrations per address.

Password verifications are counted with the ``verifications`` fixture: a throttled
attempt must be refused before the password is verified.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from rest_framework.test import APIClient

from accounts.models import RateLimit, User
from tests.helpers import PASSWORD, assert_problem, in_parallel

LOGIN = "/api/v1/auth/login"
REGISTER = "/api/v1/auth/register"
ADDRESS = "203.0.113.7"

pytestmark = pytest.mark.django_db


def login(api_client, email, password, address=ADDRESS, **headers):
    body = {"email": email, "password": password}
    return api_client.post(LOGIN, body, REMOTE_ADDR=address, **headers)


def fail(api_client, email, times, address=ADDRESS):
    for _ in range(times):
        assert login(api_client, email, "wrong password", address).status_code == 401


def register(api_client, email, address=ADDRESS, **headers):
    body = {"email": email, "password": PASSWORD}
    return api_client.post(REGISTER, body, REMOTE_ADDR=address, **headers)


def age_windows(seconds):
    """Move every window's end ``seconds`` into the past, as if that much time had passed."""
    for limit in RateLimit.objects.all():
        limit.resets_at -= timedelta(seconds=seconds)
        limit.save()


def retry_after(response):
    assert_problem(response, 429)
    return int(response["Retry-After"])


class TestLoginPerEmail:
    def test_the_sixth_attempt_is_refused_without_verifying(self, api_client, user, verifications):
        fail(api_client, user.email, 5)

        response = login(api_client, user.email, "wrong password")

        assert 1 <= retry_after(response) <= 60
        assert len(verifications) == 5

    def test_the_right_password_is_refused_too(self, api_client, user, verifications):
        fail(api_client, user.email, 5)

        assert login(api_client, user.email, PASSWORD).status_code == 429
        assert len(verifications) == 5

    def test_four_failures_do_not_block_a_correct_login(self, api_client, user, verifications):
        fail(api_client, user.email, 4)

        assert login(api_client, user.email, PASSWORD).status_code == 200

    def test_successful_logins_give_their_attempt_back(self, api_client, user, verifications):
        for _ in range(6):
            assert login(api_client, user.email, PASSWORD).status_code == 200
        fail(api_client, user.email, 4)

        assert login(api_client, user.email, PASSWORD).status_code == 200

    def test_unknown_emails_count_like_known_ones(self, api_client, verifications):
        fail(api_client, "nobody@example.com", 5)

        assert login(api_client, "nobody@example.com", "wrong password").status_code == 429
        assert len(verifications) == 5  # each failure was checked against the dummy hash

    def test_the_email_is_matched_case_insensitively(self, api_client, user, verifications):
        fail(api_client, "ALICE@example.com", 5)

        assert login(api_client, "alice@example.com", PASSWORD).status_code == 429

    def test_other_emails_and_other_addresses_are_not_affected(
        self, api_client, make_user, user, verifications
    ):
        bob = make_user("bob@example.com")
        fail(api_client, user.email, 5)

        assert login(api_client, bob.email, PASSWORD).status_code == 200
        assert login(api_client, user.email, PASSWORD, address="198.51.100.1").status_code == 200

    def test_a_forged_forwarded_for_header_does_not_escape(self, api_client, user, verifications):
        for n in range(5):
            forged = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{n}"}
            assert login(api_client, user.email, "wrong password", **forged).status_code == 401

        response = login(api_client, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")

        assert response.status_code == 429

    def test_the_lock_ends_with_the_window(self, api_client, user, verifications):
        fail(api_client, user.email, 5)
        assert login(api_client, user.email, PASSWORD).status_code == 429

        age_windows(60)

        assert login(api_client, user.email, PASSWORD).status_code == 200

    def test_expired_windows_are_deleted(self, api_client, user, verifications):
        fail(api_client, user.email, 2)
        age_windows(3600)

        fail(api_client, "other@example.com", 1)

        assert RateLimit.objects.count() == 2  # the new pair and the address

    def test_neither_the_address_nor_the_email_is_stored(self, api_client, user, verifications):
        fail(api_client, user.email, 1)

        for key in RateLimit.objects.values_list("key", flat=True):
            assert user.email not in key
            assert ADDRESS not in key

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


class TestLoginPerAddress:
    def test_thirty_failures_with_any_emails_lock_the_address(self, api_client, verifications):
        for n in range(30):
            fail(api_client, f"user{n}@example.com", 1)

        response = login(api_client, "someone-else@example.com", "wrong password")

        assert 840 <= retry_after(response) <= 900
        assert len(verifications) == 30

    def test_other_addresses_are_not_affected(self, api_client, user, verifications):
        for n in range(30):
            fail(api_client, f"user{n}@example.com", 1)

        assert login(api_client, user.email, PASSWORD, address="198.51.100.1").status_code == 200


class TestRegistration:
    def test_the_eleventh_attempt_in_an_hour_is_refused(self, api_client, user, monkeypatch):
        hashed = []
        original = Argon2PasswordHasher.encode

        def encode(*args: Any) -> str:
            hashed.append(1)
            return original(*args)

        monkeypatch.setattr(Argon2PasswordHasher, "encode", encode)
        for _ in range(10):  # each counts, even when the email is taken
            assert_problem(register(api_client, user.email), 409)

        response = register(api_client, "new@example.com")

        assert 3500 <= retry_after(response) <= 3600
        assert not User.objects.filter(email="new@example.com").exists()
        assert hashed == []  # refused before the password was hashed

    def test_invalid_bodies_are_not_counted(self, api_client, user):
        for _ in range(10):
            assert_problem(register(api_client, "not-an-email"), 422)

        # Past the limit check: the email is taken.
        assert_problem(register(api_client, user.email), 409)

    def test_a_forged_forwarded_for_header_does_not_escape(self, api_client, user):
        for n in range(10):
            forged = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{n}"}
            assert_problem(register(api_client, user.email, **forged), 409)

        response = register(api_client, "new@example.com", HTTP_X_FORWARDED_FOR="192.0.2.99")

        assert_problem(response, 429)

    def test_other_addresses_are_not_affected(self, api_client, user):
        for _ in range(10):
            assert_problem(register(api_client, user.email), 409)

        assert_problem(register(api_client, user.email, address="198.51.100.1"), 409)
