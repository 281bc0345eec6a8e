"""The rate limits in Redis, shared by every instance, and what happens when Redis is down.

The cases that need a Redis server run when TEST_REDIS_URL is set (CI sets it); each
uses keys of its own and deletes them afterwards. The unreachable-Redis cases always run.
"""

import dataclasses
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from redis import Redis

from app.config import PROJECT_NAME, Settings
from app.redis_throttle import RedisThrottle
from app.throttle import Limit, StoreUnavailable, Throttled

from .test_server import free_port
from .test_throttle import IP, LOGIN, REGISTER, WRONG, attempt, fail

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "").strip()
needs_redis = pytest.mark.skipif(
    not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set (a Redis server these tests may use)"
)


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards (never the others)."""
    prefix = f"test-{secrets.token_hex(6)}:rl:"
    yield prefix
    client = Redis.from_url(TEST_REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def redis_throttle(prefix: str) -> Iterator[RedisThrottle]:
    throttle = RedisThrottle.from_url(TEST_REDIS_URL, prefix)
    yield throttle
    throttle.close()


@pytest.fixture
def redis_client() -> Iterator[Redis]:
    client = Redis.from_url(TEST_REDIS_URL, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def redis_app(
    make_app: Callable[[Settings], Flask], settings: Settings, prefix: str
) -> Iterator[Callable[[], Flask]]:
    """Applications counting in the test Redis under `prefix`: each one is an instance."""
    apps: list[Flask] = []

    def make() -> Flask:
        app = make_app(dataclasses.replace(settings, redis_url=TEST_REDIS_URL))
        assert isinstance(app.extensions["throttle"], RedisThrottle)
        app.extensions["throttle"].close()
        app.extensions["throttle"] = RedisThrottle.from_url(TEST_REDIS_URL, prefix)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["throttle"].close()


@needs_redis
def test_two_instances_share_the_login_budget(redis_app, account) -> None:
    first, second = redis_app().test_client(), redis_app().test_client()
    for n in range(5):
        assert attempt((first, second)[n % 2], account.email, WRONG).status_code == 401
    refused = attempt(first, account.email, account.password)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert attempt(second, account.email, account.password).status_code == 429


@needs_redis
def test_a_successful_login_gives_its_attempt_back_in_redis(redis_app, account) -> None:
    client = redis_app().test_client()
    fail(client, account.email, 4)
    assert attempt(client, account.email, account.password).status_code == 200
    fail(client, account.email, 1)
    assert attempt(client, account.email, account.password).status_code == 429


@needs_redis
def test_redis_keys_are_prefixed_expire_and_hold_no_email(
    redis_throttle: RedisThrottle, redis_client: Redis, prefix: str
) -> None:
    redis_throttle.take((("login", IP, "ada@example.com"), Limit(attempts=5, window_seconds=60)))
    keys = list(redis_client.scan_iter(match=f"{prefix}*"))
    assert len(keys) == 1
    assert keys[0].startswith(f"{prefix}login:")
    assert "ada" not in keys[0]
    assert IP not in keys[0]
    assert 0 < redis_client.pttl(keys[0]) <= 60_000


@needs_redis
def test_a_redis_budget_frees_as_its_window_passes(
    redis_throttle: RedisThrottle, redis_client: Redis, prefix: str
) -> None:
    budget = (("login", IP), Limit(attempts=2, window_seconds=1))
    redis_throttle.take(budget)
    redis_throttle.take(budget)
    with pytest.raises(Throttled) as refused:
        redis_throttle.take(budget)
    assert refused.value.retry_after == 1
    time.sleep(1.1)
    assert list(redis_client.scan_iter(match=f"{prefix}*")) == []  # expired on its own
    redis_throttle.take(budget)


@needs_redis
def test_a_redis_take_is_all_or_nothing(redis_throttle: RedisThrottle) -> None:
    one = (("register", IP), Limit(attempts=1, window_seconds=60))
    two = (("login", IP), Limit(attempts=2, window_seconds=60))
    redis_throttle.take(one, two)
    with pytest.raises(Throttled) as refused:
        redis_throttle.take(one, two)  # `one` is spent, so nothing is taken from `two` either
    assert 59 <= refused.value.retry_after <= 60
    redis_throttle.take(two)
    with pytest.raises(Throttled):
        redis_throttle.take(two)


@needs_redis
def test_an_attempt_given_back_to_redis_is_free_again(redis_throttle: RedisThrottle) -> None:
    budget = (("login", IP), Limit(attempts=1, window_seconds=60))
    redis_throttle.give_back(redis_throttle.take(budget))
    redis_throttle.take(budget)
    with pytest.raises(Throttled):
        redis_throttle.take(budget)


@needs_redis
def test_concurrent_redis_takes_never_exceed_the_budget(prefix: str) -> None:
    # Four instances (clients), five threads each, one budget of five.
    throttles = [RedisThrottle.from_url(TEST_REDIS_URL, prefix) for _ in range(4)]
    budget = (("login", IP, "ada@example.com"), Limit(attempts=5, window_seconds=60))
    start = threading.Barrier(20)
    taken: list[bool] = []

    def take(throttle: RedisThrottle) -> None:
        start.wait()
        try:
            throttle.take(budget)
            taken.append(True)
        except Throttled:
            taken.append(False)

    threads = [threading.Thread(target=take, args=(throttles[n % 4],)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for throttle in throttles:
        throttle.close()
    assert sorted(taken) == [False] * 15 + [True] * 5


def test_with_redis_url_the_app_counts_in_redis_under_the_project_name(
    make_app: Callable[[Settings], Flask], settings: Settings
) -> None:
    app = make_app(dataclasses.replace(settings, redis_url="redis://127.0.0.1:6379/0"))
    throttle = app.extensions["throttle"]
    assert isinstance(throttle, RedisThrottle)
    assert throttle.key(("login", IP)).startswith(f"{PROJECT_NAME}:rl:login:")
    throttle.close()


@pytest.fixture
def unreachable_redis_app(make_app: Callable[[Settings], Flask], settings: Settings) -> Flask:
    # Nothing listens on a port just freed: every Redis command fails to connect.
    closed = f"redis://127.0.0.1:{free_port()}/0"
    return make_app(dataclasses.replace(settings, redis_url=closed))


def test_logins_and_registrations_are_refused_while_redis_is_unreachable(
    unreachable_redis_app: Flask, caplog
) -> None:
    client = unreachable_redis_app.test_client()
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="app.redis_throttle"):
        login = attempt(client, "ada@example.com", WRONG)
        again = attempt(client, "ada@example.com", WRONG)
        body = {"email": "ada@example.com", "password": "correct horse battery staple"}
        register = client.post(REGISTER, json=body, environ_base={"REMOTE_ADDR": IP})
    assert time.monotonic() - started < 10  # short timeouts: a dead store does not hang requests
    for response in (login, again, register):
        assert response.status_code == 503
        assert response.mimetype == "application/problem+json"
        assert response.headers["Retry-After"] == "5"
        assert response.json == {
            "type": "about:blank",
            "title": "Service Unavailable",
            "status": 503,
            "detail": "rate limit store unavailable",
        }
    # One line for the outage, without a traceback, however many requests it refuses.
    records = [r for r in caplog.records if r.name == "app.redis_throttle"]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert client.get("/health").status_code == 200
    assert client.post(LOGIN, json={}).status_code == 422  # invalid requests never reach it


def test_an_unreachable_redis_raises_store_unavailable() -> None:
    throttle = RedisThrottle.from_url(f"redis://127.0.0.1:{free_port()}/0", "test:rl:")
    try:
        with pytest.raises(StoreUnavailable):
            throttle.take((("login", IP), Limit(attempts=5, window_seconds=60)))
    finally:
        throttle.close()
