"""Requests gunicorn rejects before the application sees them answer problem+json."""

import json
import runpy
import signal
import socket
from pathlib import Path
from unittest import mock

import dotenv
import gunicorn.http.wsgi
import pytest
from gunicorn import http, util
from gunicorn.config import Config
from gunicorn.workers.base import Worker

import gunicorn_errors

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}

REJECTED = {
    "overlong request line": (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\n\r\n", 414, "URI Too Long"),
    "bad request line": (b"GET /nosuch\r\n\r\n", 400, "Bad Request"),
    "invalid method": (b"G@T /nosuch HTTP/1.1\r\n\r\n", 400, "Bad Request"),
    "invalid HTTP version": (b"GET /nosuch HTTP/9.9\r\n\r\n", 400, "Bad Request"),
    "too many headers": (
        b"GET / HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(101)) + b"\r\n",
        431,
        "Request Header Fields Too Large",
    ),
    "oversize header": (
        b"GET / HTTP/1.1\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n",
        431,
        "Request Header Fields Too Large",
    ),
}


def gunicorn_answer(raw: bytes) -> tuple[str, dict[str, str], bytes]:
    """Parses `raw` as a gunicorn worker does and returns what the worker writes back."""
    cfg = Config()  # gunicorn's default limits, which gunicorn.conf.py keeps
    with pytest.raises(http.errors.ParseException) as rejected:
        next(http.get_parser(cfg, iter([raw]), ("127.0.0.1", 40000)))
    worker = mock.Mock(cfg=cfg)  # handle_error only logs and reads the configuration
    ours, theirs = socket.socketpair()
    with ours, theirs:
        Worker.handle_error(worker, None, ours, ("127.0.0.1", 40000), rejected.value)
        ours.close()
        data = b"".join(iter(lambda: theirs.recv(65536), b""))
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return status_line, {name.lower(): value for name, value in headers.items()}, body


@pytest.fixture
def problem_responses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(util, "write_error", util.write_error)  # undone after the test
    gunicorn_errors.install()


@pytest.mark.usefixtures("problem_responses")
@pytest.mark.parametrize(("raw", "status", "title"), REJECTED.values(), ids=REJECTED.keys())
def test_rejected_requests_answer_problem_json(raw: bytes, status: int, title: str) -> None:
    status_line, headers, body = gunicorn_answer(raw)
    assert status_line == f"HTTP/1.1 {status} {title}"
    assert headers["content-type"] == "application/problem+json"
    assert SECURITY_HEADERS.items() <= headers.items()
    assert headers["connection"] == "close"
    assert int(headers["content-length"]) == len(body)
    # The reason only: gunicorn's detail quotes the request.
    assert json.loads(body) == {"type": "about:blank", "title": title, "status": status}


def test_gunicorn_conf_installs_the_problem_responses(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the configuration patches is restored after the test, and .env is not read.
    monkeypatch.setattr(util, "write_error", util.write_error)
    monkeypatch.setattr(gunicorn.http.wsgi, "Response", gunicorn.http.wsgi.Response)
    monkeypatch.setattr(dotenv, "load_dotenv", lambda *args, **kwargs: False)
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # pytest's SIGTERM stays
    runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    assert util.write_error is gunicorn_errors.write_problem
