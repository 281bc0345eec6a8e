"""gunicorn settings: `gunicorn -c gunicorn.conf.py config.wsgi`.

HOST, PORT, WEB_CONCURRENCY, GUNICORN_QUEUE_TIMEOUT and LOG_LEVEL come from the
environment (or .env).
"""

import os
import signal
import sys
from pathlib import Path
from typing import Any

import gunicorn.glogging
import gunicorn.http.wsgi
from dotenv import load_dotenv

import gunicorn_errors
from gunicorn_worker import SheddingThreadWorker

# A SIGTERM while the app is still loading (the master imports it before it listens)
# ends the start-up cleanly: exit 0 and never listen. gunicorn replaces this handler
# with its own graceful one just before it opens the socket.
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))

load_dotenv(Path(__file__).with_name(".env"), override=False)


def _seconds(name: str, default: str, maximum: float) -> float:
    raw = (os.environ.get(name) or "").strip() or default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= maximum:
        # Stops the start, naming the variable.
        raise ValueError(f"{name} must be a number of seconds above 0, at most {maximum:g}.")
    return value


_host = os.environ.get("HOST") or "127.0.0.1"
_port = os.environ.get("PORT") or "8000"
bind = f"[{_host}]:{_port}" if ":" in _host else f"{_host}:{_port}"

workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
# Threaded workers keep connections alive and are not tied up by one slow client,
# which matters when no buffering proxy sits in front. Two workers of four threads
# run eight requests at once; more wait, accepted, for a free thread. A request that
# waited longer than GUNICORN_QUEUE_TIMEOUT is answered 503 with Retry-After instead of
# being served to a client that has likely given up (gunicorn_worker.py).
worker_class = "gunicorn_worker.SheddingThreadWorker"
threads = 4
SheddingThreadWorker.max_queue_wait = _seconds("GUNICORN_QUEUE_TIMEOUT", "0.5", maximum=30)
# Connections a worker holds (in flight, queued for a thread or idle between keep-alive
# requests); beyond it they wait in the listen backlog, where nothing times them. The
# queue is bounded by time rather than by a small count here, so a burst is shed quickly
# and a new connection (a health probe) is still taken at once.
worker_connections = 1000
backlog = 2048
# On SIGTERM gunicorn stops accepting connections and lets the requests in flight
# finish for up to this long, below Kubernetes' default 30 s before it kills the pod.
graceful_timeout = 25
# Import the application once in the master: a configuration error (a placeholder
# secret, say) stops the server at once instead of failing every worker in turn.
preload_app = True
# gunicorn's runtime control socket is not needed here and would collide between
# several servers started by the same user.
control_socket_disable = True

# gunicorn believes X-Forwarded-Proto from 127.0.0.1 by default. The app decides instead,
# from TRUSTED_PROXIES (core.middleware.TrustedProxyMiddleware), for every header.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}

_log_level = (os.environ.get("LOG_LEVEL") or "info").lower()
loglevel = {"warn": "warning", "fatal": "critical"}.get(_log_level, _log_level)
errorlog = "-"
accesslog = "-"
# Path without the query string and no request headers: tokens and personal data in
# URLs or Authorization headers never reach the logs.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class _AccessLogger(gunicorn.glogging.Logger):
    """gunicorn's logger, building only the fields access_log_format uses.

    Its own `atoms` copies every request header, response header and WSGI environ entry
    and decodes Authorization for a user name, on every request, for a line that shows
    none of them. A field added to the format must be added here too (else it shows "-").
    """

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any
    ) -> dict[str, Any]:
        return {
            "h": environ.get("REMOTE_ADDR", "-"),
            "m": environ.get("REQUEST_METHOD"),
            "U": environ.get("PATH_INFO"),
            "H": environ.get("SERVER_PROTOCOL"),
            "s": str(resp.status).split(None, 1)[0],
            "B": getattr(resp, "sent", None),
            "M": request_time.seconds * 1000 + request_time.microseconds // 1000,
        }


logger_class = _AccessLogger


class _ResponseWithoutServerHeader(gunicorn.http.wsgi.Response):
    """gunicorn sends `Server: gunicorn` on every response and has no setting to turn
    it off (benoitc/gunicorn#825), so the header line is dropped here."""

    def default_headers(self) -> list[str]:
        return [line for line in super().default_headers() if not line.startswith("Server:")]


gunicorn.http.wsgi.Response = _ResponseWithoutServerHeader

# Requests gunicorn rejects itself (bad request line, 414, 431...) are answered as
# problem+json with the security headers instead of gunicorn's HTML page.
gunicorn_errors.install()


def post_fork(server: object, worker: object) -> None:
    # A new worker starts with the master's handlers, which would only queue a SIGTERM sent
    # by a stopping master for nobody to read while the worker boots: until the worker sets
    # its own handlers, SIGTERM ends it, so a stop during start-up never leaves it serving.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def worker_exit(server: object, worker: object) -> None:
    """After a worker's last request: close its connections to Redis."""
    from accounts.redis_budget import close_clients

    close_clients()
