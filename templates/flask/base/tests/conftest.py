"""Fixtures: a migrated test database and a fresh application per test.

The database is TEST_DATABASE_URL when set (it is wiped!), else a throwaway
SQLite file. The suite never reads `.env`: each test sets what it needs.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from app import create_app
from app.config import Settings, normalise_database_url
from app.database import Base, create_db_engine
from app.tokens import issue_token

from .support import run_migrations

# An empty ENV_FILE: neither the application nor the servers the tests start (which
# inherit this environment) read the developer's .env.
os.environ["ENV_FILE"] = ""

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    password: str
    headers: dict[str, str]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    return normalise_database_url(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    # The test database may hold anything: start from an empty schema, then migrate.
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    run_migrations(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        app_env="test",
        database_url=database_url,
        jwt_secret=secrets.token_urlsafe(48),
        jwt_issuer="test-issuer",
        jwt_audience="test-audience",
    )


@pytest.fixture
def make_app(engine: Engine) -> Iterator[Callable[[Settings], Flask]]:
    apps: list[Flask] = []

    def make(settings: Settings) -> Flask:
        app = create_app(settings)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["database"].engine.dispose()
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app(make_app: Callable[[Settings], Flask], settings: Settings) -> Flask:
    return make_app(settings)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_account(client: FlaskClient, settings: Settings) -> Callable[..., Account]:
    """Register a user; returns its id, email and the Authorization header of a token.

    The token is issued as a login would (test_auth.py logs in for real), without
    a second argon2 computation per account.
    """

    def make(email: str | None = None, password: str = PASSWORD) -> Account:
        email = email or f"user-{secrets.token_hex(6)}@example.com"
        body = {"email": email, "password": password}
        registered = client.post("/api/v1/auth/register", json=body)
        assert registered.status_code == 201, registered.json
        user_id = registered.json["id"]
        headers = {"Authorization": f"Bearer {issue_token(user_id, settings)}"}
        return Account(user_id, registered.json["email"], password, headers)

    return make


@pytest.fixture
def account(make_account: Callable[..., Account]) -> Account:
    return make_account()
