"""The production server itself: Gunicorn with gunicorn.conf.py, started as a process."""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, select

from app.config import PROJECT_ROOT
from app.database import Base
from app.models import User

GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**overrides: str) -> dict[str, str]:
    env = {**os.environ, "APP_ENV": "production", "HOST": "127.0.0.1", "LOG_LEVEL": "warning"}
    env.pop("FLASK_DEBUG", None)
    return {**env, **overrides}


class Response:
    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.getheader = response.getheader
        self.body = response.read()


def send(
    port: int,
    method: str,
    path: str,
    headers: Sequence[tuple[str, str]] = (),
    body: dict[str, Any] | None = None,
) -> Response:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest(method, path, skip_host="Host" in dict(headers))
    for name, value in headers:  # putheader, unlike request(), can repeat a header
        connection.putheader(name, value)
    data = json.dumps(body).encode() if body is not None else b""
    if body is not None:
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(len(data)))
    connection.endheaders(data or None)
    try:
        return Response(connection.getresponse())
    finally:
        connection.close()


def get(port: int, path: str, headers: Sequence[tuple[str, str]] = ()) -> Response:
    return send(port, "GET", path, headers)


@contextmanager
def gunicorn(database_url: str, **overrides: str) -> Iterator[tuple[subprocess.Popen, int]]:
    """A Gunicorn process serving the app in production mode; killed on exit if still running."""
    port = free_port()
    env = server_env(
        PORT=str(port),
        JWT_SECRET=secrets.token_urlsafe(48),
        DATABASE_URL=database_url,
        **overrides,
    )
    process = subprocess.Popen(
        GUNICORN, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(port, "/health")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    _, stderr = process.communicate()
                    pytest.fail(f"gunicorn did not start:\n{stderr.decode()}")
                time.sleep(0.1)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()  # reaps the process and closes its pipe


@pytest.fixture(scope="module")
def server(database_url: str, engine: Engine) -> Iterator[tuple[subprocess.Popen, int]]:
    """One server for the tests that leave it running (starting one takes a while)."""
    with gunicorn(database_url) as running:
        yield running
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


def test_gunicorn_serves_without_a_server_banner(server) -> None:
    _, port = server
    response = get(port, "/health")
    assert response.status == 200
    assert response.getheader("Server") is None
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert get(port, "/ready").status == 200


def test_two_authorization_headers_through_gunicorn_are_refused(server) -> None:
    _, port = server
    body = {"email": "server@example.com", "password": "correct horse battery staple"}
    assert send(port, "POST", "/api/v1/auth/register", body=body).status == 201
    token = json.loads(send(port, "POST", "/api/v1/auth/login", body=body).body)["access_token"]
    authorization = ("Authorization", f"Bearer {token}")
    assert get(port, "/api/v1/auth/me", [authorization]).status == 200
    twice = get(port, "/api/v1/auth/me", [authorization, authorization])
    assert twice.status == 401
    assert twice.getheader("Content-Type") == "application/problem+json"


@pytest.mark.parametrize("path", ["/api//v1/notes", "//api/v1/notes"])
def test_gunicorn_answers_a_double_slash_without_a_redirect(server, path: str) -> None:
    _, port = server
    response = get(port, path, [("Host", "evil.example")])
    assert response.status == 404
    assert response.getheader("Location") is None
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("Cache-Control") == "no-store"


def test_gunicorn_stops_cleanly_on_sigterm(database_url: str, engine: Engine) -> None:
    with gunicorn(database_url) as (process, _):
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_gunicorn_names_the_store_of_its_rate_limits(database_url: str, engine: Engine) -> None:
    with gunicorn(database_url, LOG_LEVEL="info") as (process, _):
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert "rate limits: memory (this instance only; set REDIS_URL to share them)" in (
        stderr.decode()
    )


def test_with_redis_down_gunicorn_serves_but_refuses_logins(
    database_url: str, engine: Engine
) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"
    with gunicorn(database_url, LOG_LEVEL="info", REDIS_URL=closed) as (process, port):
        assert get(port, "/health").status == 200
        body = {"email": "redis-down@example.com", "password": "correct horse battery staple"}
        for path in ("/api/v1/auth/login", "/api/v1/auth/register"):
            refused = send(port, "POST", path, body=body)
            assert refused.status == 503
            assert refused.getheader("Content-Type") == "application/problem+json"
            assert refused.getheader("Retry-After") == "5"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 0
    assert "rate limits: redis (shared by every instance)" in stderr.decode()


def test_sigterm_lets_every_accepted_request_finish(database_url: str, engine: Engine) -> None:
    # Eight logins, twice as many as the worker has threads, are in flight: their bodies
    # are only half sent when SIGTERM arrives. Two accounts, so no (address, email) budget
    # holds more attempts at once than it allows.
    passwords = ("correct horse battery staple", "another long passphrase")
    emails = [f"graceful-{n}-{secrets.token_hex(4)}@example.com" for n in range(2)]
    # The queued requests wait about a second for a thread: not long enough to be shed here.
    overrides = {"GUNICORN_THREADS": "4", "REQUEST_QUEUE_TIMEOUT_MS": "10000"}
    with gunicorn(database_url, **overrides) as (process, port):
        for email, password in zip(emails, passwords, strict=True):
            account = {"email": email, "password": password}
            assert send(port, "POST", "/api/v1/auth/register", body=account).status == 201
        bodies = [
            json.dumps({"email": emails[n % 2], "password": passwords[n % 2]}).encode()
            for n in range(8)
        ]
        sockets = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in bodies]
        answers: list[tuple[int, bytes]] = []

        def finish(sock: socket.socket, rest: bytes) -> None:
            sock.sendall(rest)
            response = http.client.HTTPResponse(sock)
            response.begin()
            answers.append((response.status, response.read()))

        try:
            for sock, body in zip(sockets, bodies, strict=True):
                head = (
                    "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
                )
                sock.sendall(head.encode() + body[:10])
            time.sleep(0.5)  # every connection accepted, four requests waiting for a thread
            process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            threads = [
                threading.Thread(target=finish, args=(sock, body[10:]))
                for sock, body in zip(sockets, bodies, strict=True)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            for sock in sockets:
                sock.close()  # else a failed run leaves the worker waiting for the bodies
        assert process.wait(timeout=30) == 0
    assert len(answers) == 8
    for status, answer in answers:
        assert status == 200, answer
        assert "access_token" in json.loads(answer)


def raw_request(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


def read_response(sock: socket.socket) -> Response:
    response = http.client.HTTPResponse(sock)
    response.begin()
    return Response(response)


def test_requests_queued_too_long_get_503_and_never_reach_the_app(
    database_url: str, engine: Engine
) -> None:
    # One thread, held by a login whose body is still on its way; behind it, the probes and
    # then fourteen registrations wait longer than REQUEST_QUEUE_TIMEOUT_MS. The probes are
    # served although a standing queue waits behind them. Of the registrations, the first
    # (about six) find eight or more (8 per thread) still waiting behind them: shed. The rest
    # are a burst the thread can work through, and served. (How many exactly depends on what
    # else is queued, e.g. the start-up probe's connection closing.)
    login = json.dumps({"email": "nobody@example.com", "password": "x" * 12}).encode()
    emails = [f"shed-{n}-{secrets.token_hex(4)}@example.com" for n in range(14)]
    overrides = {"GUNICORN_THREADS": "1", "REQUEST_QUEUE_TIMEOUT_MS": "200"}
    with gunicorn(database_url, **overrides) as (process, port):
        connect = lambda: socket.create_connection(("127.0.0.1", port), timeout=10)  # noqa: E731
        blocker = connect()
        probes = {path: connect() for path in ("/health", "/ready")}
        queued = [connect() for _ in emails]
        try:
            blocker.sendall(raw_request("POST", "/api/v1/auth/login", login)[:-10])
            time.sleep(0.3)  # the thread now waits for the rest of the login
            for path, sock in probes.items():
                sock.sendall(raw_request("GET", path))
            for sock, email in zip(queued, emails, strict=True):
                account = json.dumps({"email": email, "password": "correct horse battery staple"})
                sock.sendall(raw_request("POST", "/api/v1/auth/register", account.encode()))
            time.sleep(0.5)
            blocker.sendall(login[-10:])
            assert read_response(blocker).status == 401  # no such account
            answers = [read_response(sock) for sock in queued]
            statuses = [answer.status for answer in answers]
            shed_count = statuses.count(503)
            assert statuses == [503] * shed_count + [201] * (len(emails) - shed_count)
            assert 5 <= shed_count <= 7, statuses
            # The probes are answered however long they waited.
            for sock in probes.values():
                assert read_response(sock).status == 200
            for shed in answers[:shed_count]:
                assert shed.status == 503
                assert shed.getheader("Content-Type") == "application/problem+json"
                assert shed.getheader("Retry-After") == "1"
                assert shed.getheader("Connection") == "close"
                assert shed.getheader("X-Content-Type-Options") == "nosniff"
                assert json.loads(shed.body)["status"] == 503
        finally:
            for sock in (blocker, *queued, *probes.values()):
                sock.close()
        # Shed requests are counted in the log, not logged one by one.
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert "overloaded: answered 503 to 1 request(s) that waited over 200 ms" in stderr.decode()
    with engine.connect() as connection:
        registered = connection.execute(select(User.email).where(User.email.in_(emails))).all()
    # The application never ran the shed ones.
    assert sorted(email for (email,) in registered) == sorted(emails[shed_count:])


@pytest.mark.parametrize("value", ["0.5", "0", "-1", "60001"])
def test_gunicorn_refuses_an_invalid_queue_timeout(value: str) -> None:
    env = server_env(
        PORT=str(free_port()), JWT_SECRET=secrets.token_urlsafe(48), REQUEST_QUEUE_TIMEOUT_MS=value
    )
    result = subprocess.run(
        GUNICORN, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode != 0
    assert "REQUEST_QUEUE_TIMEOUT_MS must be" in result.stderr


def test_sigterm_during_start_up_exits_0_and_never_listens() -> None:
    port = free_port()
    env = server_env(PORT=str(port), JWT_SECRET=secrets.token_urlsafe(48), LOG_LEVEL="info")
    process = subprocess.Popen(
        GUNICORN, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        assert process.stderr is not None
        # Gunicorn's first line: the settings are loaded, nothing listens yet.
        for line in process.stderr:
            if b"Starting gunicorn" in line:
                break
        process.send_signal(signal.SIGTERM)
        # A worker still importing the app finishes its import before it sees the signal;
        # on a busy machine that takes seconds. The property is the exit code, not the time.
        _, stderr = process.communicate(timeout=40)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr.decode()
    time.sleep(0.3)
    with pytest.raises(ConnectionRefusedError):
        get(port, "/health")


def test_gunicorn_refuses_a_placeholder_secret() -> None:
    env = server_env(PORT=str(free_port()), JWT_SECRET="change-me-to-a-random-string-of-32")
    result = subprocess.run(
        GUNICORN, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "JWT_SECRET" in result.stderr
