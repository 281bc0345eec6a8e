"""Login and registration throttling: budgets per client address (and email), taken atomically."""

import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.passwords import verify_password
from app.throttle import Limit, MemoryThrottle, Throttled

LOGIN = "/api/v1/auth/login"
REGISTER = "/api/v1/auth/register"
IP = "203.0.113.7"
WRONG = "wrong password!"
PASSWORD = "correct horse battery staple"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def attempt(client: FlaskClient, email: str, password: str, ip: str = IP, **headers: str):
    return client.post(
        LOGIN,
        json={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
        headers=headers,
    )


def fail(client: FlaskClient, email: str, times: int, ip: str = IP) -> None:
    for _ in range(times):
        assert attempt(client, email, WRONG, ip).status_code == 401


def assert_throttled(response, window_seconds: int) -> int:
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 429
    retry_after = response.headers["Retry-After"]
    assert retry_after.isdigit()
    assert 1 <= int(retry_after) <= window_seconds
    return int(retry_after)


@pytest.fixture
def no_hashing(monkeypatch) -> None:
    """Failed logins without argon2's cost, for tests that need dozens of them."""
    monkeypatch.setattr("app.routes.auth.verify_password", lambda _hash, _password: False)


@pytest.fixture
def clock(app: Flask) -> Clock:
    clock = Clock()
    app.extensions["throttle"] = MemoryThrottle(clock=clock)
    return clock


def test_the_sixth_failure_in_a_minute_is_throttled(client: FlaskClient, account) -> None:
    fail(client, account.email, 5)
    assert_throttled(attempt(client, account.email, WRONG), 60)


def test_even_the_right_password_waits_out_the_window(client: FlaskClient, account) -> None:
    fail(client, account.email, 5)
    assert attempt(client, account.email, account.password).status_code == 429


def test_the_count_is_per_ip_and_email(client: FlaskClient, account, make_account) -> None:
    other = make_account()
    fail(client, account.email, 5)
    assert attempt(client, account.email, account.password, ip="198.51.100.1").status_code == 200
    assert attempt(client, other.email, other.password).status_code == 200
    # The email's case does not make it another budget.
    assert attempt(client, account.email.upper(), account.password).status_code == 429


def test_a_success_gives_its_attempt_back_but_resets_nothing(client, account) -> None:
    fail(client, account.email, 4)
    assert attempt(client, account.email, account.password).status_code == 200
    fail(client, account.email, 1)
    assert attempt(client, account.email, account.password).status_code == 429


def test_unknown_emails_are_throttled_too(client: FlaskClient) -> None:
    fail(client, "nobody@example.com", 5)
    assert attempt(client, "nobody@example.com", WRONG).status_code == 429


def test_invalid_requests_are_not_counted(client: FlaskClient, account) -> None:
    for _ in range(6):
        response = client.post(
            LOGIN, json={"email": account.email}, environ_base={"REMOTE_ADDR": IP}
        )
        assert response.status_code == 422
    assert attempt(client, account.email, account.password).status_code == 200


def test_a_forwarded_for_header_does_not_make_another_client(client, account) -> None:
    # X-Forwarded-For is whatever the client writes: only the peer address counts.
    for n in range(5):
        forwarded = f"198.51.100.{n}"
        response = attempt(client, account.email, WRONG, **{"X-Forwarded-For": forwarded})
        assert response.status_code == 401
    response = attempt(client, account.email, WRONG, **{"X-Forwarded-For": "192.0.2.99"})
    assert_throttled(response, 60)


def test_concurrent_failures_verify_no_more_passwords_than_the_budget(
    app: Flask, account, monkeypatch
) -> None:
    verified = 0
    lock = threading.Lock()

    def counting_verify(password_hash: str | None, password: str) -> bool:
        nonlocal verified
        with lock:
            verified += 1
        return verify_password(password_hash, password)

    monkeypatch.setattr("app.routes.auth.verify_password", counting_verify)
    start = threading.Barrier(20)
    statuses: list[int] = []

    def login() -> None:
        client = app.test_client()
        start.wait()
        statuses.append(attempt(client, account.email, WRONG).status_code)

    threads = [threading.Thread(target=login) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert verified == 5
    assert sorted(statuses) == [401] * 5 + [429] * 15


def test_thirty_failures_from_one_address_block_every_email(client, clock, no_hashing) -> None:
    for n in range(30):
        fail(client, f"user{n}@example.com", 1)
        clock.now += 1
    clock.now += 70  # the oldest failure happened 100 s ago
    response = attempt(client, "someone-else@example.com", WRONG)
    assert assert_throttled(response, 900) == 800
    # Other addresses are not affected.
    assert attempt(client, "someone-else@example.com", WRONG, ip="198.51.100.1").status_code == 401
    clock.now += 800
    assert attempt(client, "someone-else@example.com", WRONG).status_code == 401


def test_the_eleventh_registration_from_one_address_is_throttled(client: FlaskClient) -> None:
    def register(email: str, ip: str = IP, password: str = PASSWORD):
        body = {"email": email, "password": password}
        return client.post(REGISTER, json=body, environ_base={"REMOTE_ADDR": ip})

    # Invalid requests take nothing from the budget; valid ones do, even a duplicate.
    assert register("not-an-email").status_code == 422
    assert register("common@example.com", password="password1234").status_code == 422
    for n in range(9):
        assert register(f"user{n}@example.com").status_code == 201
    assert register("user0@example.com").status_code == 409
    assert_throttled(register("user10@example.com"), 3600)
    assert register("user10@example.com", ip="198.51.100.1").status_code == 201


def test_a_budget_frees_one_attempt_as_the_oldest_leaves_the_window() -> None:
    clock = Clock()
    throttle = MemoryThrottle(clock=clock)
    budget = (("login", IP, "ada@example.com"), Limit(attempts=2, window_seconds=60))
    throttle.take(budget)
    clock.now += 10
    throttle.take(budget)
    with pytest.raises(Throttled) as refused:
        throttle.take(budget)
    assert refused.value.retry_after == 50
    clock.now += 50
    throttle.take(budget)  # the first attempt left the window
    with pytest.raises(Throttled) as refused:
        throttle.take(budget)
    assert refused.value.retry_after == 10


def test_a_take_is_all_or_nothing() -> None:
    throttle = MemoryThrottle(clock=Clock())
    one = (("register", IP), Limit(attempts=1, window_seconds=60))
    two = (("login", IP), Limit(attempts=2, window_seconds=60))
    throttle.take(one, two)
    with pytest.raises(Throttled):
        throttle.take(one, two)  # `one` is spent, so nothing is taken from `two` either
    throttle.take(two)


def test_an_attempt_given_back_is_free_again() -> None:
    throttle = MemoryThrottle(clock=Clock())
    budget = (("login", IP), Limit(attempts=1, window_seconds=60))
    throttle.give_back(throttle.take(budget))
    throttle.take(budget)
    with pytest.raises(Throttled):
        throttle.take(budget)
