"""Login throttling: 5 failures per 60 s for one (client address, email) pair."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import LoginFailure
from tests.helpers import PASSWORD, assert_problem

LOGIN = "/api/v1/auth/login"

pytestmark = pytest.mark.django_db


def login(api_client, email, password, address="203.0.113.7"):
    return api_client.post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=address)


def fail(api_client, email, times, address="203.0.113.7"):
    for _ in range(times):
        assert login(api_client, email, "wrong password", address).status_code == 401


def test_the_sixth_attempt_after_five_failures_is_throttled(api_client, user):
    fail(api_client, user.email, 5)

    response = login(api_client, user.email, "wrong password")

    assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60


def test_a_throttled_pair_is_refused_even_with_the_right_password(api_client, user):
    fail(api_client, user.email, 5)

    assert login(api_client, user.email, PASSWORD).status_code == 429


def test_four_failures_do_not_block_a_correct_login(api_client, user):
    fail(api_client, user.email, 4)

    assert login(api_client, user.email, PASSWORD).status_code == 200


def test_the_pair_is_matched_case_insensitively(api_client, user):
    fail(api_client, "ALICE@example.com", 5)

    assert login(api_client, "alice@example.com", PASSWORD).status_code == 429


def test_other_emails_and_other_addresses_are_not_affected(api_client, make_user, user):
    bob = make_user("bob@example.com")
    fail(api_client, user.email, 5)

    assert login(api_client, bob.email, PASSWORD).status_code == 200
    assert login(api_client, user.email, PASSWORD, address="198.51.100.1").status_code == 200


def test_successful_logins_are_not_counted(api_client, user):
    for _ in range(6):
        assert login(api_client, user.email, PASSWORD).status_code == 200


def test_the_lock_ends_with_the_window(api_client, user):
    fail(api_client, user.email, 5)
    assert login(api_client, user.email, PASSWORD).status_code == 429

    # Age the recorded failures past the 60 s window.
    for failure in LoginFailure.objects.all():
        failure.created_at -= timedelta(seconds=61)
        failure.save()

    assert login(api_client, user.email, PASSWORD).status_code == 200


def test_expired_failures_are_pruned(api_client, user):
    fail(api_client, user.email, 2)
    long_ago = LoginFailure.objects.first().created_at - timedelta(minutes=5)
    LoginFailure.objects.update(created_at=long_ago)

    fail(api_client, user.email, 1)

    assert LoginFailure.objects.count() == 1


def test_failures_are_stored_without_the_address_or_email(api_client, user):
    fail(api_client, user.email, 1)

    key = LoginFailure.objects.get().key
    assert user.email not in key
    assert "203.0.113.7" not in key
