"""How the application talks to its database: SQLite's settings, pooled connections."""

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.database import create_db_engine


def test_sqlite_connections_use_wal_normal_sync_a_busy_timeout_and_foreign_keys(
    tmp_path: Path,
) -> None:
    # Whatever TEST_DATABASE_URL says: these are SQLite's own settings.
    engine = create_db_engine(f"sqlite:///{tmp_path / 'settings.db'}")
    try:
        with engine.connect() as connection:

            def pragma(name: str) -> object:
                return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

            # Readers and the writer do not block each other; commits append to the log.
            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 1  # NORMAL: no fsync per commit in WAL mode
            assert pragma("busy_timeout") == 5000  # wait for another writer, do not fail
            assert pragma("foreign_keys") == 1  # ON DELETE CASCADE works
    finally:
        engine.dispose()


def test_requests_reuse_pooled_connections(app: Flask, client: FlaskClient, account) -> None:
    # `account` registered through this app: its pool already holds a connection.
    opened: list[object] = []
    engine = app.extensions["database"].engine
    event.listen(engine, "connect", lambda connection, _record: opened.append(connection))
    for _ in range(3):
        assert client.get("/api/v1/auth/me", headers=account.headers).status_code == 200
        assert client.get("/ready").status_code == 200
    assert opened == []
