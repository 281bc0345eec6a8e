"""gunicorn settings: `gunicorn -c gunicorn.conf.py config.wsgi`.

HOST, PORT, WEB_CONCURRENCY and LOG_LEVEL come from the environment (or .env).
"""

import os
import signal
import sys
from pathlib import Path

import gunicorn.http.wsgi
from dotenv import load_dotenv

import gunicorn_errors

# A SIGTERM while the app is still loading (the master imports it before it listens)
# ends the start-up cleanly: exit 0 and never listen. gunicorn replaces this handler
# with its own graceful one just before it opens the socket.
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))

load_dotenv(Path(__file__).with_name(".env"), override=False)

_host = os.environ.get("HOST") or "127.0.0.1"
_port = os.environ.get("PORT") or "8000"
bind = f"[{_host}]:{_port}" if ":" in _host else f"{_host}:{_port}"

workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
# Threaded workers keep connections alive and are not tied up by one slow client,
# which matters when no buffering proxy sits in front. Two workers of four threads
# run eight requests at once; more wait, accepted, for a free thread.
worker_class = "gthread"
threads = 4
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
