"""Load shedding (gunicorn_worker.py), on a real gunicorn started with gunicorn.conf.py.

One worker with one thread serves tests/slow_app.py: ``/slow`` holds the thread while
more requests queue behind it, so the test decides exactly who waits and for how long.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import runpy
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dotenv
import gunicorn.http.wsgi
import pytest
from gunicorn import util

from gunicorn_worker import SheddingThreadWorker
from tests.test_gunicorn_errors import SECURITY_HEADERS

PROJECT_DIR = Path(__file__).resolve().parent.parent
QUEUE_TIMEOUT = 0.2
SLOW_SECONDS = 1.0


class Server:
    def __init__(self, port: int, log: Path, output: Path) -> None:
        self.port = port
        self.log = log
        self.output = output
        self.connections: list[http.client.HTTPConnection] = []

    def send(self, path: str) -> http.client.HTTPConnection:
        """Sends ``GET path`` on a new connection; the answer is read later."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        self.connections.append(connection)
        connection.request("GET", path)
        return connection

    def paths_run(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").split()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    log, output = tmp_path / "requests.log", tmp_path / "gunicorn.log"
    log.touch()
    env = {
        "PATH": os.environ.get("PATH", ""),
        # Set, so that nothing comes from the project's .env.
        "HOST": "127.0.0.1",
        "PORT": "0",  # any free port: read back from gunicorn's log
        "LOG_LEVEL": "info",
        "GUNICORN_QUEUE_TIMEOUT": str(QUEUE_TIMEOUT),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "SLOW_APP_LOG": str(log),
        "SLOW_APP_SECONDS": str(SLOW_SECONDS),
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    command += ["--workers", "1", "--threads", "1", "tests.slow_app:app"]
    with output.open("wb") as sink:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=sink, stderr=sink)
    server = None
    try:
        server = Server(listening_port(output, process), log, output)
        yield server
    finally:
        for connection in server.connections if server else ():
            connection.close()  # a kept-alive connection would delay the stop
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def listening_port(output: Path, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = output.read_text(encoding="utf-8", errors="replace")
        # The worker is ready once it has booted: "Booting worker with pid".
        if (match := re.search(r"Listening at: http://[^:]+:(\d+)", text)) and "Booting" in text:
            return int(match.group(1))
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{text}")
        time.sleep(0.05)
    pytest.fail(f"gunicorn did not start within 30 s:\n{output.read_text(errors='replace')}")


def test_a_standing_queue_is_shed_with_503_and_never_reaches_the_app(server: Server):
    slow = server.send("/slow")  # holds the only thread for SLOW_SECONDS
    time.sleep(0.1)
    # Queued behind it, each far longer than QUEUE_TIMEOUT. The probe and the first four
    # find eight or more (8 per thread) still waiting behind them: a standing queue, shed,
    # but for the probe, which is always served. The rest are a burst the thread can work
    # through, and served.
    probe = server.send("/health")
    queued = [server.send(f"/work/{n}") for n in range(1, 13)]

    assert slow.getresponse().status == 200
    assert probe.getresponse().status == 200
    answers = [connection.getresponse() for connection in queued]
    assert [answer.status for answer in answers] == [503] * 4 + [200] * 8
    shed = answers[0]
    body = shed.read()
    assert shed.getheader("Retry-After") == "1"
    assert shed.getheader("Connection") == "close"
    assert shed.getheader("Content-Type") == "application/problem+json"
    for name, value in SECURITY_HEADERS.items():
        assert shed.getheader(name) == value, name
    problem = json.loads(body)
    assert (problem["type"], problem["status"], problem["title"]) == (
        "about:blank",
        503,
        "Service Unavailable",
    )
    # The shed requests never reached the app; the worker says it shed some.
    assert server.paths_run() == ["/slow", "/health", *(f"/work/{n}" for n in range(5, 13))]
    assert "answered 503 to 1 request(s)" in server.output.read_text(encoding="utf-8")


def test_requests_that_waited_less_are_served(server: Server):
    first, second = server.send("/work"), server.send("/work")

    assert [first.getresponse().status, second.getresponse().status] == [200, 200]
    assert server.paths_run() == ["/work", "/work"]


def test_the_access_log_shows_the_path_without_the_query_string(server: Server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    server.connections.append(connection)
    connection.request("GET", "/work?token=secret", headers={"Authorization": "Basic dTpw"})
    assert connection.getresponse().status == 200

    deadline = time.monotonic() + 5
    while "/work" not in (log := server.output.read_text(encoding="utf-8")):
        assert time.monotonic() < deadline, log
        time.sleep(0.05)
    assert re.search(r'^127\.0\.0\.1 "GET /work HTTP/1\.1" 200 15 \d+ms$', log, re.MULTILINE), log
    assert "secret" not in log
    assert "dTpw" not in log


def load_gunicorn_conf(monkeypatch: pytest.MonkeyPatch, **environ: str) -> None:
    """gunicorn.conf.py, run with these variables; whatever it patches is undone afterwards."""
    monkeypatch.setattr(util, "write_error", util.write_error)
    monkeypatch.setattr(gunicorn.http.wsgi, "Response", gunicorn.http.wsgi.Response)
    monkeypatch.setattr(SheddingThreadWorker, "max_queue_wait", SheddingThreadWorker.max_queue_wait)
    monkeypatch.setattr(dotenv, "load_dotenv", lambda *args, **kwargs: False)
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # pytest's SIGTERM stays
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))


def test_the_queue_timeout_defaults_to_half_a_second(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("GUNICORN_QUEUE_TIMEOUT", raising=False)
    load_gunicorn_conf(monkeypatch)

    assert SheddingThreadWorker.max_queue_wait == 0.5


def test_the_queue_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    load_gunicorn_conf(monkeypatch, GUNICORN_QUEUE_TIMEOUT="2.5")

    assert SheddingThreadWorker.max_queue_wait == 2.5


@pytest.mark.parametrize("value", ["0", "-1", "31", "soon", "nan"])
def test_an_invalid_queue_timeout_stops_the_start(monkeypatch: pytest.MonkeyPatch, value: str):
    with pytest.raises(ValueError, match="GUNICORN_QUEUE_TIMEOUT"):
        load_gunicorn_conf(monkeypatch, GUNICORN_QUEUE_TIMEOUT=value)
