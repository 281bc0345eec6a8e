"""Production configuration: Django's deployment checks, and refusal of weak secrets.

These run ``manage.py`` in a fresh process with APP_ENV=production, exactly as a
deployment would start.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from config.database import parse_database_url
from config.env import secret_problem

PROJECT_DIR = Path(__file__).resolve().parent.parent


def production_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        APP_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        JWT_SECRET=secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS="api.example.com",
        DJANGO_DEBUG="false",
        DJANGO_SECURE_SSL_REDIRECT="true",
        DJANGO_HSTS_PRELOAD="false",
        DATABASE_URL="sqlite:///data/app.db",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("JWT_SECRET", ""),
        ("JWT_SECRET", "change-me-to-a-random-string-of-at-least-32-bytes"),
        ("JWT_SECRET", "too-short-but-random-7f3a9"),
        ("DJANGO_SECRET_KEY", ""),
        ("DJANGO_SECRET_KEY", "change-me-" + secrets.token_urlsafe(64)),
        ("DJANGO_SECRET_KEY", secrets.token_urlsafe(32)),  # 43 characters: under 50
        ("DJANGO_SECRET_KEY", "django-insecure-" + secrets.token_urlsafe(64)),
    ],
)
def test_production_refuses_to_start_with_a_weak_secret(variable, value):
    result = manage("check", env=production_env(**{variable: value}))

    assert result.returncode != 0
    assert variable in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"), [("DJANGO_ALLOWED_HOSTS", ""), ("DJANGO_DEBUG", "true")]
)
def test_production_refuses_unsafe_settings(variable, value):
    result = manage("check", env=production_env(**{variable: value}))

    assert result.returncode != 0
    assert variable in result.stderr


def test_jwt_lifetime_cannot_exceed_15_minutes():
    env = production_env(APP_ENV="development", JWT_TTL_SECONDS="901")

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "JWT_TTL_SECONDS" in result.stderr


@pytest.mark.parametrize(
    ("value", "acceptable"),
    [
        (None, False),
        ("", False),
        ("a" * 31, False),
        ("x" * 40, False),  # too few distinct characters
        ("placeholder-" + "k3j4h5g6f7d8s9a0" * 2, False),
        ("CHANGEME" + "k3j4h5g6f7d8s9a0" * 2, False),
        ("an-example-" + "k3j4h5g6f7d8s9a0" * 2, False),
        ("k3j4h5g6f7d8s9a0" * 2, True),
    ],
)
def test_secret_rules(value, acceptable):
    assert (secret_problem(value, 32) is None) is acceptable


def test_passwords_are_hashed_with_argon2id_above_the_floor():
    hasher = get_hasher()  # the first of PASSWORD_HASHERS

    assert hasher.algorithm == "argon2"
    params = hasher.params()
    assert params.type.name == "ID"
    assert params.memory_cost >= 19 * 1024  # KiB
    assert params.time_cost >= 2


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
