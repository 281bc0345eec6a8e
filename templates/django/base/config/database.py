"""DATABASE_URL → Django ``DATABASES`` entry.

Accepted forms (the same in every service generated alongside this one):

* ``sqlite:///data/app.db``: a path relative to the project directory;
* ``sqlite:////var/lib/app/app.db``: an absolute path; ``sqlite:///:memory:``;
* ``postgresql://user:password@host:5432/name?sslmode=require`` (``postgres://`` too).
  Query parameters are passed to the driver; user and password may be percent-encoded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# Several gunicorn workers share one SQLite file: WAL lets readers run beside the writer,
# and IMMEDIATE transactions take the write lock up front instead of failing half-way.
# synchronous=NORMAL syncs the WAL at checkpoints rather than at every commit: a power
# loss can drop the last commits, never corrupt the file. A writer waits up to 5 s for
# the lock (the busy timeout), then fails instead of holding its thread any longer.
# Django turns on foreign keys itself on every connection.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
}


def parse_database_url(
    url: str, base_dir: Path, *, variable: str = "DATABASE_URL"
) -> dict[str, Any]:
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]  # tolerate SQLAlchemy's "postgresql+psycopg"
    if scheme == "sqlite":
        return _sqlite(parts.path, base_dir, variable)
    if scheme in ("postgres", "postgresql"):
        return _postgres(url, variable)
    raise ImproperlyConfigured(f"{variable} must start with sqlite:// or postgresql://.")


def _sqlite(path: str, base_dir: Path, variable: str) -> dict[str, Any]:
    # sqlite:///data/app.db has the path "/data/app.db": the first slash only separates
    # the (empty) host from the path, so what follows is relative unless it starts with "/".
    relative = unquote(path)[1:]
    if not relative:
        raise ImproperlyConfigured(f"{variable} names no SQLite file (sqlite:///data/app.db).")
    if relative == ":memory:":
        name = relative
    else:
        file = base_dir / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        name = str(file)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": dict(SQLITE_OPTIONS),
        # Each thread keeps its connection: opening one (and its PRAGMAs) per request cost
        # more than most queries. There is no server to lose it, so no health check.
        "CONN_MAX_AGE": None,
    }


def _postgres(url: str, variable: str) -> dict[str, Any]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{variable} has an invalid port.") from None
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(f"{variable} names no database (postgresql://host/name).")
    options: dict[str, Any] = dict(parse_qsl(parts.query))
    # Fail fast (and let /ready answer 503) when the server is unreachable.
    options.setdefault("connect_timeout", 5)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "OPTIONS": options,
        # Keep connections between requests, and check them before reuse.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
