import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import MAX_BODY_BYTES, create_app
from app.config import (
    DEFAULT_AUTH_EVENT_LOG,
    DEFAULT_TOKEN_TTL_SECONDS,
    PROJECT_NAME,
    PROJECT_ROOT,
    ConfigError,
    Settings,
    load_environment,
    load_settings,
)
from app.throttle import LOGIN_PER_CLIENT, LOGIN_PER_EMAIL, REGISTRATIONS_PER_CLIENT, Limit

GOOD_SECRET = "kq3V9-zrT1pX8LwQmA0sN4bY7cF2hJ6d"  # 32 characters, no placeholder marker


@pytest.mark.parametrize(
    "secret",
    [
        "",
        "short-secret",
        "change-me-to-a-random-string-of-at-least-32-bytes",
        "CHANGEME-0123456789-0123456789-0123456789",
        "a-placeholder-value-that-is-long-enough-anyway",
        "example-example-example-example-example",
        "a" * 48,
        "abcdefghi" * 6,  # nine distinct characters
    ],
)
def test_production_refuses_a_weak_jwt_secret(secret: str) -> None:
    with pytest.raises(ConfigError, match="JWT_SECRET"):
        load_settings({"APP_ENV": "production", "JWT_SECRET": secret})


def test_production_accepts_a_strong_secret() -> None:
    settings = load_settings({"APP_ENV": "production", "JWT_SECRET": GOOD_SECRET})
    assert settings.is_production
    ten_distinct = load_settings({"APP_ENV": "production", "JWT_SECRET": "abcdefghij" * 4})
    assert ten_distinct.is_production


def test_development_tolerates_the_example_placeholder_but_not_a_missing_secret() -> None:
    placeholder = "change-me-to-a-random-string-of-at-least-32-bytes"
    assert load_settings({"JWT_SECRET": placeholder}).jwt_secret == placeholder
    with pytest.raises(ConfigError, match="JWT_SECRET"):
        load_settings({})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("JWT_TTL_SECONDS", "901"),
        ("JWT_TTL_SECONDS", "0"),
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("APP_ENV", "staging"),
        ("OPENAPI_ENABLED", "maybe"),
        ("LOG_LEVEL", "loud"),
        ("CORS_ORIGINS", "*"),
        ("CORS_ORIGINS", "https://app.example.com/path"),
        ("DATABASE_URL", "mysql://db/app"),
        ("DATABASE_URL", "not a url"),
        ("REDIS_URL", "127.0.0.1:6379"),
        ("TRUSTED_PROXIES", "10.0.0.0/33"),
        ("GUNICORN_THREADS", "0"),
        ("GUNICORN_THREADS", "eight"),
    ],
)
def test_invalid_settings_name_their_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({"JWT_SECRET": GOOD_SECRET, name: value})


def test_an_empty_environment_gives_the_documented_defaults() -> None:
    # Built from nothing, not from the shell or .env: these are the code's own defaults.
    for app_env in ({}, {"APP_ENV": "production"}):
        with pytest.raises(ConfigError, match="JWT_SECRET"):
            load_settings(app_env)  # the one setting without a default

    settings = load_settings({"JWT_SECRET": GOOD_SECRET})
    assert (settings.app_env, settings.host, settings.port) == ("development", "127.0.0.1", 8000)
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'data' / 'app.db'}"
    assert (settings.jwt_issuer, settings.jwt_audience) == (PROJECT_NAME, PROJECT_NAME)
    assert settings.jwt_ttl_seconds == DEFAULT_TOKEN_TTL_SECONDS  # pinned in test_auth_events.py
    assert settings.auth_event_log is DEFAULT_AUTH_EVENT_LOG
    assert settings.cors_origins == ()
    assert settings.openapi_enabled is True
    assert settings.log_level == "info"
    assert settings.redis_url == ""  # rate limits in process memory
    assert settings.trusted_proxies == ()  # the peer is the client
    assert settings.gunicorn_threads == 8

    production = load_settings({"JWT_SECRET": GOOD_SECRET, "APP_ENV": "production"})
    assert production.openapi_enabled is False
    assert production.jwt_ttl_seconds == DEFAULT_TOKEN_TTL_SECONDS

    assert MAX_BODY_BYTES == 1024 * 1024
    limits = (LOGIN_PER_EMAIL, LOGIN_PER_CLIENT, REGISTRATIONS_PER_CLIENT)
    assert limits == (Limit(5, 60), Limit(30, 900), Limit(10, 3600))

    hsts = "Strict-Transport-Security"
    development_app = create_app(settings)
    production_app = create_app(production)
    try:
        assert development_app.config["MAX_CONTENT_LENGTH"] == MAX_BODY_BYTES
        assert hsts not in development_app.test_client().get("/health").headers
        assert hsts in production_app.test_client().get("/health").headers
    finally:
        for app in (development_app, production_app):
            app.extensions["database"].engine.dispose()


def test_git_ignores_every_env_file_but_the_example() -> None:
    lines = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {".env", ".env.*", "!.env.example"} <= set(lines)
    assert lines.index("!.env.example") > lines.index(".env.*")  # the exception comes last


def test_the_suite_reads_no_dotenv_file() -> None:
    assert os.environ["ENV_FILE"] == ""
    assert load_environment() == dict(os.environ)


def test_cors_origins_are_a_comma_separated_list() -> None:
    env = {"JWT_SECRET": GOOD_SECRET, "CORS_ORIGINS": "https://a.example, http://localhost:5173/"}
    assert load_settings(env).cors_origins == ("https://a.example", "http://localhost:5173")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgres://u:p@db:5432/app", "postgresql+psycopg://u:p@db:5432/app"),
        ("postgresql://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("postgresql+psycopg://u@db/app", "postgresql+psycopg://u@db/app"),
        ("sqlite:////srv/app.db", "sqlite:////srv/app.db"),
        ("sqlite:///var/app.db", f"sqlite:///{PROJECT_ROOT / 'var' / 'app.db'}"),
    ],
)
def test_database_urls_are_normalised(raw: str, expected: str) -> None:
    env = {"JWT_SECRET": GOOD_SECRET, "DATABASE_URL": raw}
    assert load_settings(env).database_url == expected


def test_dotenv_is_read_but_the_real_environment_wins(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / ".env").write_text("PORT=9001\nLOG_LEVEL=debug\n")
    monkeypatch.setenv("ENV_FILE", str(tmp_path / ".env"))
    monkeypatch.setenv("PORT", "9002")
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    env = load_environment()
    assert (env["PORT"], env["LOG_LEVEL"]) == ("9002", "debug")


def test_the_debugger_cannot_be_enabled_in_production(monkeypatch) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="FLASK_DEBUG"):
        create_app(Settings(app_env="production", jwt_secret=GOOD_SECRET))


def test_the_app_process_exits_naming_the_variable() -> None:
    placeholder = "change-me-please-0123456789-abcdef"
    env = {**os.environ, "APP_ENV": "production", "JWT_SECRET": placeholder}
    result = subprocess.run(
        [sys.executable, "-c", "from app import create_app; create_app()"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "JWT_SECRET" in result.stderr
