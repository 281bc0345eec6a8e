"""Helpers shared by the tests."""

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from app.config import PROJECT_ROOT


def alembic_config() -> Config:
    return Config(str(PROJECT_ROOT / "alembic.ini"))


def run_migrations(engine: Engine, revision: str = "head", *, down: bool = False) -> None:
    """Upgrade (or downgrade) `engine` to `revision`, as `alembic upgrade` would."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        if down:
            command.downgrade(config, revision)
        else:
            command.upgrade(config, revision)
