"""``?limit=&offset=`` pagination answering ``{items, total, limit, offset}``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class LimitOffsetPagination(BasePagination):
    """``limit`` 1-100 (default 20) and ``offset`` 0-2147483647 (default 0).

    Unlike DRF's LimitOffsetPagination, which silently clamps or ignores bad values,
    anything out of range is a 422: a client asking for 500 items should learn it
    gets at most 100.
    """

    default_limit = 20
    max_limit = 100
    # The largest OFFSET every database takes (a 32-bit integer).
    max_offset = 2_147_483_647

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        self._read_page(request)
        if isinstance(queryset, QuerySet):
            return self._page_and_total(
                lambda limit, offset: list(queryset[offset : offset + limit]), queryset.count
            )
        # DRF allows plain sequences too.
        self.total = len(queryset)
        return list(queryset[self.offset : self.offset + self.limit])

    def paginate_sql(
        self, request: Request, page: str, count: str, params: Sequence[Any]
    ) -> list[tuple[Any, ...]]:
        """A page of rows read in plain SQL: ``page`` ends in ``LIMIT %s OFFSET %s`` and
        ``count`` counts the same rows; both take ``params``, the page then its limit and
        offset."""
        self._read_page(request)

        def rows(limit: int, offset: int) -> list[tuple[Any, ...]]:
            with connection.cursor() as cursor:
                cursor.execute(page, [*params, limit, offset])
                found: list[tuple[Any, ...]] = cursor.fetchall()
                return found

        def total() -> int:
            with connection.cursor() as cursor:
                cursor.execute(count, params)
                return int(cursor.fetchone()[0])

        return self._page_and_total(rows, total)

    def _read_page(self, request: Request) -> None:
        errors: dict[str, str] = {}
        self.limit = self._read(request, "limit", self.default_limit, 1, self.max_limit, errors)
        self.offset = self._read(request, "offset", 0, 0, self.max_offset, errors)
        if errors:
            raise ValidationError(errors)

    def _page_and_total(
        self, read: Callable[[int, int], list[Any]], count: Callable[[], int]
    ) -> list[Any]:
        """The page, read one row past its end: without that row, the page holds the rest
        of the list and the total follows from it, with no COUNT query. A list that fits
        in one page, or its last page, costs one query; a page with more after it, two.
        """
        rows = read(self.limit + 1, self.offset)
        if len(rows) <= self.limit and (rows or not self.offset):
            self.total = self.offset + len(rows)
        else:  # more rows follow, or the offset is past the end
            self.total = count()
        return rows[: self.limit]

    def get_paginated_response(self, data: Sequence[Any]) -> Response:
        return Response(
            {"items": data, "total": self.total, "limit": self.limit, "offset": self.offset}
        )

    @staticmethod
    def _read(
        request: Request,
        name: str,
        default: int,
        minimum: int,
        maximum: int,
        errors: dict[str, str],
    ) -> int:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        # Digits only (int() also accepts "+5", " 5" and "5_0"), and few enough of them.
        value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None
        if value is None or not minimum <= value <= maximum:
            errors[name] = f"Must be an integer between {minimum} and {maximum}."
            return default
        return value
