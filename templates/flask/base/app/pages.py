"""One page of a table's rows and the total they are a page of, read in one statement."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.sql.elements import KeyedColumnElement
from sqlalchemy.types import TypeEngine

from .models import UTCDateTime

Decoder = Callable[[Any], Any]


def _utc_datetime(text: str) -> datetime:
    # SQLite holds UTCDateTime values as naive UTC text: read as UTC, in one call.
    return datetime.fromisoformat(text + "+00:00")


def _json_decoder(column_type: TypeEngine[Any]) -> Decoder | bool:
    """How a column's value in SQLite's JSON becomes what a row of that column would hold.

    True for a value that needs nothing (integers and text are exact in JSON). False for a
    type whose JSON would not be exact: SQLite writes a REAL with 15 significant digits, so
    0.1 + 0.2 would come back as 0.3.
    """
    if isinstance(column_type, UTCDateTime):
        return _utc_datetime
    if isinstance(column_type, sa.Boolean):
        return bool  # SQLite has no boolean: 0 or 1
    if isinstance(column_type, sa.Date):
        return date.fromisoformat
    return isinstance(column_type, (sa.Integer, sa.String)) and not isinstance(column_type, sa.Enum)


class PageQuery:
    """The rows of `columns` that match `where`, by the first column (the id), a page at a time.

    Its statements take the parameters of `where` plus `limit` and `offset`.
    """

    def __init__(
        self, columns: Sequence[KeyedColumnElement[Any]], where: sa.ColumnElement[bool]
    ) -> None:
        # The table is the one `where` names.
        self.count = select(func.count()).where(where)
        page = (
            select(*columns)
            .where(where)
            .order_by(columns[0])
            .limit(bindparam("limit"))
            .offset(bindparam("offset"))
        )
        # Every database: each row carries the total after its columns (a subquery the
        # database runs once). Only a page past the end, with no row, counts on its own.
        self.rows = page.add_columns(self.count.scalar_subquery().label("total"))
        # SQLite: the whole page as one JSON array, in one row beside the total. Python's
        # sqlite3 lets go of the GIL around every row it steps to, and with the server's
        # threads busy, each time it waits to get it back: that wait cost more than the rest
        # of a 20-row list together. One row is one wait.
        decoders = [_json_decoder(column.type) for column in columns]
        # The columns whose JSON value needs converting, with how.
        self._conversions = [
            (index, decoder) for index, decoder in enumerate(decoders) if callable(decoder)
        ]
        self.json_page: sa.Select[Any] | None = None
        if all(decoder is not False for decoder in decoders):
            rows = page.subquery()
            self.json_page = select(
                func.json_group_array(func.json_array(*rows.c)),
                self.count.scalar_subquery(),
            )

    def fetch(
        self, connection: Connection, params: Mapping[str, Any]
    ) -> tuple[Sequence[Sequence[Any]], int]:
        """The page's rows (the values of `columns`, in order) and the total."""
        if self.json_page is not None and connection.dialect.name == "sqlite":
            text, total = connection.execute(self.json_page, params).one()
            rows: list[list[Any]] = json.loads(text)
            for index, decode in self._conversions:
                for row in rows:
                    if row[index] is not None:
                        row[index] = decode(row[index])
            # SQLite aggregates the ordered page in order, but does not promise it.
            rows.sort(key=itemgetter(0))
            return rows, total
        found = connection.execute(self.rows, params).all()
        if found:
            return found, found[0].total
        return found, (connection.scalar(self.count, params) or 0) if params["offset"] else 0
