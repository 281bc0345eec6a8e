"""Engine, declarative base and the request-scoped session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# Deterministic constraint names keep Alembic migrations portable between
# SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model; Alembic reads its metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# SQLite settings applied to every connection (app/database.py, tests/test_database.py).
# WAL lets readers and the one writer work at the same time and commits without an fsync
# of the database file; with synchronous=NORMAL a commit survives the application crashing
# (not the machine losing power mid-write: the last commits may then be lost, never the
# file). A writer waits up to 5 s for another one instead of failing "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 5000
SQLITE_PRAGMAS = (
    # First: switching a new file to WAL needs a moment alone with it.
    f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    # SQLite leaves foreign keys (and so ON DELETE CASCADE) off unless asked, per connection.
    "PRAGMA foreign_keys = ON",
)


def create_db_engine(url: str, pool_size: int = 8) -> Engine:
    """An engine for `url` (already normalised by `app.config`).

    Connections are pooled and kept between requests on both databases (SQLAlchemy's
    QueuePool), so a request never pays for opening one. The pool keeps `pool_size` of
    them: one per thread that serves requests (GUNICORN_THREADS), each of which holds one
    from its first query to its end. A smaller pool would open a connection for every
    request beyond it and close it again afterwards.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, pool_size=pool_size)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    # pre_ping drops connections the server closed while idle; the connect timeout
    # keeps /ready from hanging when the database host is unreachable.
    return create_engine(
        url, pool_size=pool_size, pool_pre_ping=True, connect_args={"connect_timeout": 5}
    )


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


class Database:
    """Owns the engine; hands out one connection, and a session on it, per application context."""

    def __init__(self, url: str, pool_size: int = 8) -> None:
        self.engine = create_db_engine(url, pool_size)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def init_app(self, app: Flask) -> None:
        app.extensions["database"] = self
        app.teardown_appcontext(self._close)

    def session(self) -> Session:
        session: Session | None = g.get("db_session")
        if session is None:
            connection: Connection | None = g.get("db_connection")
            if connection is None:
                session = self._sessions()
            else:
                # On the request's connection: one checkout (and, on PostgreSQL, one
                # pre-ping) per request. The session commits and rolls back as its own, as
                # on a connection of its own (by default it would only join the connection's
                # transaction, and its commits would commit nothing).
                if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
                    # The reads ran outside a transaction (see connection()); writes need one.
                    connection.rollback()  # ends SQLAlchemy's side of the reads: sends nothing
                    connection.execution_options(isolation_level=connection.default_isolation_level)
                session = self._sessions(bind=connection, join_transaction_mode="control_fully")
            g.db_session = session
        return session

    def connection(self) -> Connection:
        """The session's connection if the request has a session, else a plain one.

        Core reads need no session, whose setup and teardown cost more than a small
        indexed query; a later `session()` runs on this connection.
        """
        session: Session | None = g.get("db_session")
        if session is not None:
            return session.connection()
        connection: Connection | None = g.get("db_connection")
        if connection is None:
            connection = g.db_connection = self.engine.connect()
            if connection.dialect.name == "postgresql":
                # Reads in autocommit: no BEGIN before them and no ROLLBACK after, two of the
                # five round trips a read request made (a page and the account check are
                # one statement each, consistent on their own). SQLite's driver begins no
                # transaction for reads anyway, and resetting its level costs a statement.
                connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection

    @staticmethod
    def _close(_exc: BaseException | None) -> None:
        # Closing rolls back whatever was not committed, and returns the connection to the
        # pool (the session's own, or the plain one it ran on, closed after it).
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()
        connection: Connection | None = g.pop("db_connection", None)
        if connection is not None:
            connection.close()


def db_session() -> Session:
    """The session of the current request; closed (and rolled back) when it ends."""
    database: Database = current_app.extensions["database"]
    return database.session()


def db_connection() -> Connection:
    """A Core connection for the current request's reads; closed (and rolled back) when it ends.

    The session's own connection once the request has a session, so reads see its writes;
    a session started later runs on this one.
    """
    database: Database = current_app.extensions["database"]
    return database.connection()
