"""A page of rows and their total (app/pages.py), on SQLite's one-row path and row by row."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, bindparam

from app.database import create_db_engine
from app.models import UTCDateTime
from app.pages import PageQuery

from .support import statements

metadata = sa.MetaData()
# Every column type a generated resource uses but a REAL one.
items = sa.Table(
    "page_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("owner_id", sa.Integer, nullable=False),
    sa.Column("title", sa.String(200)),
    sa.Column("body", sa.Text),
    sa.Column("count", sa.BigInteger),
    sa.Column("done", sa.Boolean),
    sa.Column("due", sa.Date),
    sa.Column("at", UTCDateTime),
)
measures = sa.Table(
    "page_measures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("owner_id", sa.Integer, nullable=False),
    sa.Column("value", sa.Double),
)
ITEM_COLUMNS = [column for column in items.c if column.key != "owner_id"]
MEASURE_COLUMNS = [measures.c.id, measures.c.value]


def mine(table: sa.Table) -> sa.ColumnElement[bool]:
    return table.c.owner_id == bindparam("owner_id")


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    # SQLite whatever TEST_DATABASE_URL says: its one-row path is what is tested here.
    engine = create_db_engine(f"sqlite:///{tmp_path / 'pages.db'}")
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def typed(rows: Sequence[Sequence[Any]], width: int) -> list[list[tuple[type, Any]]]:
    """Each value with its type, so that 1 and True, or a date and its text, differ."""
    return [[(type(value), value) for value in row[:width]] for row in rows]


def test_sqlite_reads_a_page_in_one_statement_holding_what_rows_would(
    sqlite_engine: Engine,
) -> None:
    engine = sqlite_engine
    at = datetime(2025, 1, 31, 23, 59, 58, 999_999, tzinfo=UTC)
    values: list[dict[str, Any]] = [
        {"title": 'quote " and \\ and \n and é', "body": None, "count": 2**53 + 1},
        {"title": "t", "body": "b", "count": -(2**62), "done": True, "due": date(2024, 2, 29)},
        {"title": "t", "body": "", "count": 0, "done": False, "at": at},
        {"title": None, "body": "x", "count": None, "done": None, "due": None, "at": None},
        {"title": "last", "body": "y", "count": 7, "done": True, "at": at},
    ]
    with engine.begin() as connection:
        # Inserted out of id order, beside another owner's rows.
        for id_, row in zip([5, 1, 4, 2, 3], values, strict=True):
            connection.execute(items.insert(), {"id": id_, "owner_id": 1, **row})
            connection.execute(items.insert(), {"id": 100 + id_, "owner_id": 2, **row})

    query = PageQuery(ITEM_COLUMNS, mine(items))
    assert query.json_page is not None
    width = len(ITEM_COLUMNS)
    with engine.connect() as connection:
        for limit, offset in [(20, 0), (2, 0), (2, 2), (2, 4), (2, 10)]:
            params = {"owner_id": 1, "limit": limit, "offset": offset}
            with statements(engine) as sent:
                rows, total = query.fetch(connection, params)
            assert len(sent) == 1, sent
            expected = connection.execute(query.rows, params).all()
            assert typed(rows, width) == typed(expected, width), (limit, offset)
            assert [row[0] for row in rows] == sorted(row[0] for row in rows)
            assert total == 5


def test_a_real_column_is_read_row_by_row_exactly(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    # SQLite's JSON would write 0.1 + 0.2 as 0.3: such a table keeps the row path.
    with engine.begin() as connection:
        connection.execute(measures.insert(), {"id": 1, "owner_id": 1, "value": 0.1 + 0.2})
        connection.execute(measures.insert(), {"id": 2, "owner_id": 1, "value": None})
    query = PageQuery(MEASURE_COLUMNS, mine(measures))
    assert query.json_page is None
    with engine.connect() as connection:
        rows, total = query.fetch(connection, {"owner_id": 1, "limit": 20, "offset": 0})
        assert [tuple(row[:2]) for row in rows] == [(1, 0.1 + 0.2), (2, None)]
        assert total == 2
        # Past the end no row carries the total: it is counted on its own.
        with statements(engine) as sent:
            beyond, total = query.fetch(connection, {"owner_id": 1, "limit": 20, "offset": 5})
        assert (list(beyond), total, len(sent)) == ([], 2, 2)
        assert query.fetch(connection, {"owner_id": 3, "limit": 20, "offset": 0}) == ([], 0)
