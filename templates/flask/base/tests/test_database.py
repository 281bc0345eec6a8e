"""How the application talks to its database: SQLite's settings, pooled connections."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, event, select, update
from sqlalchemy.dialects import sqlite

from app.database import create_db_engine, db_connection, db_session
from app.models import User, UTCDateTime, iso_utc


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


def test_the_pool_keeps_a_connection_for_each_thread(make_app, settings) -> None:
    # Each of GUNICORN_THREADS requests in flight holds a connection: all of them go back
    # to the pool, none is closed and opened again for the next requests.
    app = make_app(replace(settings, gunicorn_threads=12))
    engine = app.extensions["database"].engine
    opened: list[object] = []
    event.listen(engine, "connect", lambda connection, _record: opened.append(connection))
    for _ in range(3):
        held = [engine.connect() for _ in range(12)]
        for connection in held:
            connection.close()
    assert len(opened) == 12


def test_a_request_checks_out_one_pooled_connection(
    app: Flask, client: FlaskClient, account
) -> None:
    # /me checks the token's account on a plain connection, then loads it in a session,
    # which runs on the same connection.
    pool = app.extensions["database"].engine.pool
    checkouts: list[object] = []
    event.listen(pool, "checkout", lambda *args: checkouts.append(args))
    assert client.get("/api/v1/auth/me", headers=account.headers).status_code == 200
    assert len(checkouts) == 1
    assert pool.checkedout() == 0


def _in_transaction(connection: Connection) -> bool:
    """Whether the driver has begun a transaction on the database (sent BEGIN, or SQLite's)."""
    driver = connection.connection.driver_connection
    assert driver is not None
    if connection.dialect.name == "postgresql":
        return bool(driver.info.transaction_status != TransactionStatus.IDLE)
    return bool(driver.in_transaction)


def test_reads_begin_no_transaction_and_a_session_writes_in_one(app: Flask, account) -> None:
    with app.test_request_context():
        connection = db_connection()
        assert connection.scalar(select(User.id).where(User.id == account.id)) == account.id
        # No BEGIN before a read request's statements, and so no ROLLBACK after them: two
        # round trips of five on PostgreSQL.
        assert not _in_transaction(connection)
        session = db_session()
        session.execute(update(User).where(User.id == account.id).values(email="x@example.com"))
        assert _in_transaction(connection)
        session.rollback()


def test_a_session_after_a_plain_read_rolls_back_what_it_did_not_commit(
    app: Flask, account
) -> None:
    with app.test_request_context():
        assert db_connection().scalar(select(User.id).where(User.id == account.id)) == account.id
        session = db_session()
        session.execute(update(User).where(User.id == account.id).values(email="gone@example.com"))
        session.rollback()
        assert db_connection().scalar(select(User.email).where(User.id == account.id)) == (
            account.email
        )
    with app.app_context():
        stored = db_session().get(User, account.id)
        assert stored is not None
        assert stored.email == account.email


def test_a_session_after_a_plain_read_commits_its_writes(app: Flask, account) -> None:
    with app.test_request_context():
        assert db_connection().scalar(select(User.id).where(User.id == account.id)) == account.id
        session = db_session()
        session.execute(update(User).where(User.id == account.id).values(email="new@example.com"))
        session.commit()
    with app.app_context():
        stored = db_session().get(User, account.id)
        assert stored is not None
        assert stored.email == "new@example.com"


def test_times_read_back_in_utc_and_format_to_the_millisecond() -> None:
    column = UTCDateTime()
    stored = datetime(2025, 1, 31, 12, 0, 0, 999_999, tzinfo=UTC)
    # SQLite hands back the naive UTC time it stored.
    read = column.process_result_value(stored.replace(tzinfo=None), sqlite.dialect())
    assert read == stored
    assert read is not None
    assert read.tzinfo is UTC
    paris = timezone(timedelta(hours=1))
    assert iso_utc(datetime(2025, 1, 31, 13, 0, 0, 999_999, tzinfo=paris)) == (
        "2025-01-31T12:00:00.999Z"
    )
    assert iso_utc(datetime(2025, 1, 31, tzinfo=UTC)) == "2025-01-31T00:00:00.000Z"
