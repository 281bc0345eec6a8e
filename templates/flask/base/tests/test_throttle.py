import time

from flask.testing import FlaskClient

from app.throttle import LoginThrottle

LOGIN = "/api/v1/auth/login"


def attempt(client: FlaskClient, email: str, password: str, ip: str = "203.0.113.7") -> int:
    response = client.post(
        LOGIN, json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}
    )
    return response.status_code


def fail(client: FlaskClient, email: str, times: int, ip: str = "203.0.113.7") -> None:
    for _ in range(times):
        assert attempt(client, email, "wrong password!", ip) == 401


def test_the_sixth_failure_in_a_minute_is_throttled(client: FlaskClient, account) -> None:
    fail(client, account.email, 5)
    response = client.post(
        LOGIN,
        json={"email": account.email, "password": "wrong password!"},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 429
    retry_after = response.headers["Retry-After"]
    assert retry_after.isdigit()
    assert 1 <= int(retry_after) <= 60


def test_even_the_right_password_waits_out_the_window(client: FlaskClient, account) -> None:
    fail(client, account.email, 5)
    assert attempt(client, account.email, account.password) == 429


def test_the_count_is_per_ip_and_email(client: FlaskClient, account, make_account) -> None:
    other = make_account()
    fail(client, account.email, 5)
    assert attempt(client, account.email, account.password, ip="198.51.100.1") == 200
    assert attempt(client, other.email, other.password) == 200
    # The email is normalised before counting.
    assert attempt(client, f" {account.email.upper()}", account.password) == 429


def test_a_success_does_not_reset_the_count(client: FlaskClient, account) -> None:
    fail(client, account.email, 4)
    assert attempt(client, account.email, account.password) == 200
    fail(client, account.email, 1)
    assert attempt(client, account.email, account.password) == 429


def test_unknown_emails_are_throttled_too(client: FlaskClient) -> None:
    fail(client, "nobody@example.com", 5)
    assert attempt(client, "nobody@example.com", "wrong password!") == 429


def test_invalid_requests_are_not_counted(client: FlaskClient, account) -> None:
    for _ in range(6):
        response = client.post(
            LOGIN, json={"email": account.email}, environ_base={"REMOTE_ADDR": "203.0.113.7"}
        )
        assert response.status_code == 422
    assert attempt(client, account.email, account.password) == 200


def test_the_window_ends() -> None:
    throttle = LoginThrottle("memory://", attempts=2, window_seconds=1)
    throttle.record_failure("203.0.113.7", "ada@example.com")
    assert throttle.retry_after("203.0.113.7", "ada@example.com") is None
    throttle.record_failure("203.0.113.7", "ada@example.com")
    assert throttle.retry_after("203.0.113.7", "ada@example.com") == 1
    time.sleep(1.1)
    assert throttle.retry_after("203.0.113.7", "ada@example.com") is None
