"""Settings for the project's own test suite (pytest-django loads this module).

The application settings in test mode, with throwaway secrets and a throwaway database:
SQLite in memory, or TEST_DATABASE_URL when it is set (pytest-django creates and drops a
``test_<name>`` database on that server).
"""

import os
import secrets

os.environ["APP_ENV"] = "test"
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("JWT_SECRET", secrets.token_urlsafe(48))

from config.database import parse_database_url
from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, REST_FRAMEWORK

DEBUG = False
DATABASES = {
    "default": parse_database_url(
        os.environ.get("TEST_DATABASE_URL") or "sqlite:///:memory:",
        BASE_DIR,
        variable="TEST_DATABASE_URL",
    )
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "TEST_REQUEST_DEFAULT_FORMAT": "json"}
