"""The request body parser: JSON in UTF-8 only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.utils.http import parse_header_parameters
from rest_framework import parsers
from rest_framework.exceptions import ParseError, UnsupportedMediaType


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser, refusing charsets other than UTF-8 and turning pathologically
    nested input into a 400.

    DRF decodes the body with whatever charset the Content-Type names, so with
    ``charset=utf-7`` the string ``+ADw-script+AD4-`` would be stored as ``<script>``:
    JSON is UTF-8 (RFC 8259), and any other charset is a 415.

    Python's json module recurses per nesting level, so ``[[[[…]]]]`` a hundred
    thousand levels deep raises RecursionError, which DRF would let through as a 500.
    """

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        charset = parse_header_parameters(media_type or "")[1].get("charset")
        if charset is not None and charset.lower() != "utf-8":
            raise UnsupportedMediaType(media_type or "")
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON nested too deeply.") from None
