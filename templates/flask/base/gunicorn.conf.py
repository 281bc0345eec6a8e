"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py "app:create_app()"`.

Everything comes from the environment (then `.env`), like the application's own
settings: HOST, PORT and LOG_LEVEL, plus WEB_CONCURRENCY (worker processes) and
GUNICORN_THREADS (threads per worker).
"""

import sys

from gunicorn.arbiter import Arbiter
from gunicorn.http import wsgi

import gunicorn_errors
from app.config import ConfigError, load_environment, load_settings


def _count(name: str, default: int) -> int:
    raw = env.get(name, "").strip() or str(default)
    if not raw.isdecimal() or int(raw) < 1:
        raise ConfigError(f"{name} must be a positive integer, got {raw!r}")
    return int(raw)


env = load_environment()
try:
    settings = load_settings(env)
    workers = _count("WEB_CONCURRENCY", 1)
    threads = _count("GUNICORN_THREADS", 4)
except ConfigError as exc:
    # Fail before forking workers, with one readable line instead of a traceback per worker.
    sys.exit(f"Refusing to start: {exc}")

host = f"[{settings.host}]" if ":" in settings.host else settings.host  # IPv6 needs brackets
bind = f"{host}:{settings.port}"
# One process with threads by default: the rate limits (login failures, registrations) are
# counted in process memory, so each extra worker would count on its own.
worker_class = "gthread"
timeout = 30
graceful_timeout = 20

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
    if workers > 1:
        server.log.warning(
            "WEB_CONCURRENCY=%d: each worker counts login failures and registrations on its "
            "own, so the rate limits allow up to %d times as many; scale with GUNICORN_THREADS.",
            workers,
            workers,
        )


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
