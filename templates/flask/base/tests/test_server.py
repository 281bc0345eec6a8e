"""The production server itself: Gunicorn with gunicorn.conf.py, started as a process."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from app.config import PROJECT_ROOT

GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**overrides: str) -> dict[str, str]:
    env = {**os.environ, "APP_ENV": "production", "HOST": "127.0.0.1", "LOG_LEVEL": "warning"}
    env.pop("FLASK_DEBUG", None)
    return {**env, **overrides}


def get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.fixture
def server(database_url: str, engine) -> Iterator[tuple[subprocess.Popen, int]]:
    port = free_port()
    env = server_env(
        PORT=str(port), JWT_SECRET=secrets.token_urlsafe(48), DATABASE_URL=database_url
    )
    process = subprocess.Popen(
        GUNICORN, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
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
    if process.poll() is None:
        process.kill()
    process.communicate()  # reaps the process and closes its pipe


def test_gunicorn_serves_without_a_server_banner(server) -> None:
    _, port = server
    response = get(port, "/health")
    assert response.status == 200
    assert response.getheader("Server") is None
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert get(port, "/ready").status == 200


def test_gunicorn_stops_cleanly_on_sigterm(server) -> None:
    process, _ = server
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0


def test_gunicorn_refuses_a_placeholder_secret() -> None:
    env = server_env(PORT=str(free_port()), JWT_SECRET="change-me-to-a-random-string-of-32")
    result = subprocess.run(
        GUNICORN, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "JWT_SECRET" in result.stderr
