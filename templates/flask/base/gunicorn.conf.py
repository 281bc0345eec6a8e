"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py "app:create_app()"`.

Everything comes from the environment (then `.env`), like the application's own
settings: HOST, PORT, LOG_LEVEL and TRUSTED_PROXIES, plus WEB_CONCURRENCY (worker
processes), GUNICORN_THREADS (threads per worker) and REQUEST_QUEUE_TIMEOUT_MS (how long a
request may wait for a thread before it is answered 503, gunicorn_overload.py).
"""

import os
import signal
import sys
from types import FrameType

# A SIGTERM before Gunicorn installs its own handlers (it does so just before it starts
# listening) means the server is stopped before it started: exit 0 now, without ever
# listening. Not on a configuration reload (SIGHUP), when Gunicorn's handler is in place.
if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:

    def _stop_before_serving(_signum: int, _frame: FrameType | None) -> None:
        os._exit(0)  # nothing is open yet that would need closing

    signal.signal(signal.SIGTERM, _stop_before_serving)

from gunicorn.arbiter import Arbiter
from gunicorn.http import wsgi
from gunicorn.workers.base import Worker

import gunicorn_errors
import gunicorn_overload
from app import close_app
from app.config import ConfigError, load_environment, load_settings
from app.throttle import store_description


def _count(name: str, default: int) -> int:
    raw = env.get(name, "").strip() or str(default)
    if not raw.isdecimal() or int(raw) < 1:
        raise ConfigError(f"{name} must be a positive integer, got {raw!r}")
    return int(raw)


def _milliseconds(name: str, *, default: int, minimum: int, maximum: int) -> float:
    """A duration in milliseconds from the environment, in seconds."""
    raw = env.get(name, "").strip() or str(default)
    if not (raw.isascii() and raw.isdecimal() and minimum <= int(raw) <= maximum):
        raise ConfigError(
            f"{name} must be a number of milliseconds from {minimum} to {maximum}, got {raw!r}"
        )
    return int(raw) / 1000


env = load_environment()
try:
    settings = load_settings(env)
    workers = _count("WEB_CONCURRENCY", 1)
    threads = settings.gunicorn_threads
    queue_timeout = _milliseconds(
        "REQUEST_QUEUE_TIMEOUT_MS", default=500, minimum=10, maximum=60_000
    )
except ConfigError as exc:
    # Fail before forking workers, with one readable line instead of a traceback per worker.
    sys.exit(f"Refusing to start: {exc}")

host = f"[{settings.host}]" if ":" in settings.host else settings.host  # IPv6 needs brackets
bind = f"{host}:{settings.port}"
# One process with threads by default. Without REDIS_URL the rate limits (login failures,
# registrations) are counted in process memory, so each extra worker would count on its own.
# Eight threads: as many requests in flight as two Django workers of four, and at most eight
# password hashes (19 MiB each) at once.
# The threaded worker accepts connections beyond its threads and queues them, so every
# request accepted before a SIGTERM is answered; one that waited longer than
# REQUEST_QUEUE_TIMEOUT_MS for a thread is answered 503 with Retry-After instead of being
# served to a client that has likely given up (gunicorn_overload.py).
worker_class = gunicorn_overload.SheddingThreadWorker
gunicorn_overload.SheddingThreadWorker.max_queue_wait = queue_timeout
# Connections a worker holds (in flight, queued or idle between keep-alive requests)
# before it stops accepting; further ones wait in the kernel's listen queue, of at most
# `backlog`. The queue is bounded by time rather than by a small count here: a burst is
# shed quickly and a new connection (a health probe) is still taken at once.
worker_connections = 1000
backlog = 1024
timeout = 30
# On SIGTERM, requests in flight get this long to finish: below Kubernetes' default 30 s
# grace period, after which it kills the pod.
graceful_timeout = 25
# Gunicorn reads X-Forwarded-Proto from the same peers as the application (app/proxies.py),
# instead of its default of any local peer.
forwarded_allow_ips = ",".join(str(network) for network in settings.trusted_proxies)

# No runtime control socket (gunicornc): nothing here uses it, and it would be
# written under $HOME, which a container user may not have.
control_socket_disable = True

loglevel = settings.log_level
errorlog = "-"
accesslog = "-"
# Remote address, request line, status, size, duration (µs), user agent. No
# headers and no user field, so Authorization never reaches the log.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'


def when_ready(server: Arbiter) -> None:
    server.log.info("rate limits: %s", store_description(settings.redis_url))
    if workers > 1 and not settings.redis_url:
        server.log.warning(
            "WEB_CONCURRENCY=%d: each worker counts login failures and registrations on its "
            "own, so the rate limits allow up to %d times as many; set REDIS_URL to share "
            "them, or scale with GUNICORN_THREADS.",
            workers,
            workers,
        )


def post_fork(server: Arbiter, worker: Worker) -> None:
    # A new worker inherits the arbiter's handlers, which would only queue a SIGTERM (sent by
    # a stopping arbiter) for nobody to read while the worker boots: until the worker sets
    # its own handlers, SIGTERM ends it, so a stop during start-up never leaves it serving.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def worker_exit(server: Arbiter, worker: Worker) -> None:
    # After the worker's last request: close its database and Redis connections. The
    # arbiter also calls this for a worker that is already gone; it has no application.
    app = getattr(worker, "wsgi", None)
    if app is not None:
        close_app(app)


# Gunicorn has no setting for its `Server: gunicorn` response header, and the
# application cannot remove it (Gunicorn writes it before the application's
# headers). Filter it out of the default headers so no response names the server.
_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self: wsgi.Response) -> list[str]:
    return [h for h in _default_headers(self) if not h.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server

# Requests Gunicorn rejects itself (bad request line, 414, 431...) are answered as
# problem+json with the security headers instead of Gunicorn's HTML page.
gunicorn_errors.install()
