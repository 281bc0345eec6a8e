"""Configuration: the defaults, production's refusals, Django's deployment checks.

``load_settings`` runs config/settings.py afresh with exactly the variables a test gives
it, nothing else: not the process environment and never the developer's .env.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS
from django.db.utils import ConnectionHandler

from config.database import parse_database_url
from config.env import secret_problem

PROJECT_DIR = Path(__file__).resolve().parent.parent
SECRETS = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "JWT_SECRET": secrets.token_urlsafe(48),
}
PRODUCTION = {
    **SECRETS,
    "APP_ENV": "production",
    "DJANGO_ALLOWED_HOSTS": "api.example.com",
    "DATABASE_URL": "postgresql://app@db.internal/app",
}


def load_settings(**environ: str) -> ModuleType:
    """config/settings.py, executed with exactly these environment variables."""
    spec = importlib.util.spec_from_file_location(
        "settings_under_test", settings.BASE_DIR / "config" / "settings.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, environ, clear=True):
        spec.loader.exec_module(module)
    return module


def test_an_empty_environment_is_refused_naming_the_missing_secret():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is not set"):
        load_settings()


def test_defaults_with_nothing_but_the_secrets_set():
    config = load_settings(**SECRETS)

    assert config.APP_ENV == "development"
    assert config.DEBUG is False
    assert config.ALLOWED_HOSTS == ["127.0.0.1", "localhost"]
    assert config.DATABASES["default"]["NAME"] == str(PROJECT_DIR / "data" / "app.db")
    assert config.JWT_ISSUER == config.JWT_AUDIENCE == config.PROJECT_NAME
    assert config.RATE_LIMITS == {
        "login": (5, 60),
        "login_address": (30, 900),
        "register": (10, 3600),
    }
    assert config.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    assert config.OPENAPI_ENABLED is True
    assert config.CORS_ALLOWED_ORIGINS == []
    assert not hasattr(config, "SECURE_HSTS_SECONDS")
    assert not hasattr(config, "SECURE_SSL_REDIRECT")
    assert "NUM_PROXIES" not in config.REST_FRAMEWORK  # DRF never reads X-Forwarded-For
    assert config.TRUSTED_PROXIES == []  # nor does anything else, by default
    assert config.SECURE_PROXY_SSL_HEADER is None
    assert config.REDIS_URL == ""
    assert config.RATE_LIMIT_KEY_PREFIX == config.PROJECT_NAME + ":rl:"
    assert config.PASSWORD_HASHERS[0] == "accounts.hashers.Argon2idHasher"


def test_production_defaults():
    config = load_settings(**PRODUCTION)

    assert config.DEBUG is False
    assert config.SECURE_SSL_REDIRECT is True
    assert config.SECURE_HSTS_SECONDS == 31_536_000
    assert config.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert config.SECURE_HSTS_PRELOAD is False
    assert config.SESSION_COOKIE_SECURE is True
    assert config.OPENAPI_ENABLED is False
    assert config.CORS_ALLOWED_ORIGINS == []


def test_settings_never_read_a_dotenv_file():
    with (
        mock.patch("dotenv.load_dotenv") as load_dotenv,
        mock.patch("config.env.load_dotenv") as env_load_dotenv,
    ):
        load_settings(**SECRETS)

    load_dotenv.assert_not_called()
    env_load_dotenv.assert_not_called()


def test_dotenv_is_git_ignored_but_its_example_is_not():
    lines = (PROJECT_DIR / ".gitignore").read_text().splitlines()

    assert {".env", ".env.*", "!.env.example"} <= set(lines)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("JWT_SECRET", ""),
        ("JWT_SECRET", "change-me-to-a-random-string-of-at-least-32-bytes"),
        ("JWT_SECRET", "too-short-but-random-7f3a9"),
        ("JWT_SECRET", "a" * 48),
        ("JWT_SECRET", "abcdefghi" * 6),  # 9 distinct characters
        ("DJANGO_SECRET_KEY", ""),
        ("DJANGO_SECRET_KEY", "change-me-" + secrets.token_urlsafe(64)),
        ("DJANGO_SECRET_KEY", secrets.token_urlsafe(32)),  # 43 characters: under 50
        ("DJANGO_SECRET_KEY", "django-insecure-" + secrets.token_urlsafe(64)),
        ("DJANGO_SECRET_KEY", "ab" * 40),
    ],
)
def test_production_refuses_to_start_with_a_weak_secret(variable, value):
    environ = {**PRODUCTION, variable: value}

    with pytest.raises(ImproperlyConfigured, match=variable):
        load_settings(**environ)


def test_development_accepts_a_weak_secret_with_a_warning():
    with pytest.warns(UserWarning, match="JWT_SECRET"):
        config = load_settings(**{**SECRETS, "JWT_SECRET": "a" * 48})

    assert config.JWT_SECRET == "a" * 48


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DJANGO_ALLOWED_HOSTS", ""), ("DJANGO_DEBUG", "true"), ("JWT_TTL_SECONDS", "901")],
)
def test_production_refuses_unsafe_settings(variable, value):
    with pytest.raises(ImproperlyConfigured, match=variable):
        load_settings(**{**PRODUCTION, variable: value})


def test_trusted_proxies_are_networks_and_addresses():
    config = load_settings(**SECRETS, TRUSTED_PROXIES="10.0.0.0/8, 192.0.2.7,fd00::/8")

    assert [str(network) for network in config.TRUSTED_PROXIES] == [
        "10.0.0.0/8",
        "192.0.2.7/32",
        "fd00::/8",
    ]
    # X-Forwarded-Proto is believed, and the middleware keeps it only from those proxies.
    assert config.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize("value", ["proxy.internal", "10.0.0.1/8", "10.0.0.0/33", "300.1.2.3"])
def test_an_invalid_trusted_proxy_stops_the_boot(value):
    with pytest.raises(ImproperlyConfigured, match=f"TRUSTED_PROXIES .*{value!r}"):
        load_settings(**SECRETS, TRUSTED_PROXIES=f"127.0.0.1,{value}")


def test_the_old_proxy_ssl_switch_points_to_trusted_proxies():
    with pytest.raises(ImproperlyConfigured, match="replaced by TRUSTED_PROXIES"):
        load_settings(**SECRETS, DJANGO_SECURE_PROXY_SSL_HEADER="true")


@pytest.mark.parametrize("url", ["127.0.0.1:6379", "http://cache:6379/0"])
def test_a_redis_url_without_a_redis_scheme_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        load_settings(**SECRETS, REDIS_URL=url)


def test_production_settings_pass_the_deployment_checks():
    # django-admin in a fresh process: manage.py would also load .env.
    environ = {
        **PRODUCTION,
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PATH": os.environ.get("PATH", ""),
    }

    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("value", "acceptable"),
    [
        (None, False),
        ("", False),
        ("a" * 31, False),
        ("x" * 40, False),  # too few distinct characters
        ("abcdefghi" * 5, False),
        ("abcdefghij" * 4, True),
        ("placeholder-" + "k3j4h5g6f7d8s9a0" * 2, False),
        ("CHANGEME" + "k3j4h5g6f7d8s9a0" * 2, False),
        ("an-example-" + "k3j4h5g6f7d8s9a0" * 2, False),
        ("k3j4h5g6f7d8s9a0" * 2, True),
    ],
)
def test_secret_rules(value, acceptable):
    assert (secret_problem(value, 32) is None) is acceptable


def test_passwords_are_hashed_with_argon2id_at_the_floor():
    hasher = get_hasher()  # the first of PASSWORD_HASHERS

    assert isinstance(hasher, Argon2PasswordHasher)
    params = hasher.params()
    assert params.type.name == "ID"
    assert params.memory_cost >= 19 * 1024  # KiB
    assert params.time_cost >= 2
    # ...and no more: Django's own defaults (100 MiB, 8 lanes) let a burst of logins outgrow
    # a 512 MiB container.
    assert params.memory_cost <= 19 * 1024
    assert params.parallelism == 1


def test_hashes_made_with_other_parameters_verify_and_are_upgraded():
    old = Argon2PasswordHasher().encode("correct horse battery", Argon2PasswordHasher().salt())
    hasher = get_hasher()

    assert hasher.verify("correct horse battery", old)
    assert hasher.must_update(old)


@pytest.mark.django_db
def test_migrations_match_the_models():
    # Exits non-zero (failing the test) if a model change has no migration.
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


class TestDatabaseUrl:
    def test_relative_sqlite_paths_are_inside_the_project(self, tmp_path):
        config = parse_database_url("sqlite:///data/app.db", tmp_path)

        assert config["ENGINE"] == "django.db.backends.sqlite3"
        assert config["NAME"] == str(tmp_path / "data" / "app.db")
        assert (tmp_path / "data").is_dir()

    def test_absolute_sqlite_paths(self, tmp_path):
        config = parse_database_url(f"sqlite:///{tmp_path}/abs.db", Path("/elsewhere"))

        assert config["NAME"] == f"{tmp_path}/abs.db"

    def test_in_memory_sqlite(self, tmp_path):
        assert parse_database_url("sqlite:///:memory:", tmp_path)["NAME"] == ":memory:"

    def test_sqlite_connections_use_wal_and_wait_for_the_write_lock(
        self, tmp_path, django_db_blocker
    ):
        config = parse_database_url(f"sqlite:///{tmp_path}/app.db", tmp_path)
        connection = ConnectionHandler({DEFAULT_DB_ALIAS: config})[DEFAULT_DB_ALIAS]

        with django_db_blocker.unblock(), connection.cursor() as cursor:
            pragmas = {}
            for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys"):
                cursor.execute(f"PRAGMA {name}")
                pragmas[name] = cursor.fetchone()[0]
        connection.close()

        # WAL: readers beside the writer, one fsync per checkpoint rather than per commit
        # (synchronous=NORMAL is 1); a locked database is waited for, 5 s at most.
        assert pragmas == {
            "journal_mode": "wal",
            "synchronous": 1,
            "busy_timeout": 5000,
            "foreign_keys": 1,
        }
        assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"

    def test_sqlite_connections_are_kept_between_requests(self, tmp_path):
        # Opening one per request (and setting its PRAGMAs) cost more than the queries.
        assert parse_database_url("sqlite:///app.db", tmp_path)["CONN_MAX_AGE"] is None

    @pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
    def test_postgresql(self, tmp_path, scheme):
        config = parse_database_url(
            f"{scheme}://app:p%40ss%2Fword@db.internal:6543/my_db?sslmode=require", tmp_path
        )

        assert config["ENGINE"] == "django.db.backends.postgresql"
        assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("my_db", "app", "p@ss/word")
        assert (config["HOST"], config["PORT"]) == ("db.internal", "6543")
        assert config["OPTIONS"]["sslmode"] == "require"

    @pytest.mark.parametrize(
        "url", ["mysql://db/app", "sqlite://", "postgresql://db", "postgresql://db:port/x"]
    )
    def test_unsupported_urls_are_refused(self, tmp_path, url):
        with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
            parse_database_url(url, tmp_path)


def test_the_test_suite_runs_in_test_mode():
    assert settings.APP_ENV == "test"
    assert not settings.DEBUG
