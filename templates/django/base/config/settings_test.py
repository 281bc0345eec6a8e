"""Settings for the project's own test suite (pytest-django loads this module).

The application settings in test mode, with throwaway secrets and a throwaway database,
built from the process environment alone: the developer's .env is never read.

The database is a SQLite file in the temporary directory, or TEST_DATABASE_URL when it
is set (pytest-django creates and drops a ``test_<name>`` database on that server). A
file rather than SQLite's in-memory database, because the concurrency tests send
requests from several threads, each with its own connection.
"""

import os
import secrets
import tempfile
from pathlib import Path

os.environ["APP_ENV"] = "test"
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("JWT_SECRET", secrets.token_urlsafe(48))

from config.database import parse_database_url
from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, PROJECT_NAME, REST_FRAMEWORK

DEBUG = False
DATABASES = {
    "default": parse_database_url(
        os.environ.get("TEST_DATABASE_URL") or "sqlite:///:memory:",
        BASE_DIR,
        variable="TEST_DATABASE_URL",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Created before the tests and deleted after them.
    test_file = Path(tempfile.gettempdir()) / f"{PROJECT_NAME}-tests-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(test_file)}
REST_FRAMEWORK = {**REST_FRAMEWORK, "TEST_REQUEST_DEFAULT_FORMAT": "json"}
# Whatever the environment says: tests that need Redis or a proxy set these themselves
# (tests/test_redis_budget.py, tests/test_proxies.py).
REDIS_URL = ""
TRUSTED_PROXIES = []
SECURE_PROXY_SSL_HEADER = None
