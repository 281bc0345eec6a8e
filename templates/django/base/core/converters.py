"""The ``<id:pk>`` path converter: resource ids as the API documents them."""

from __future__ import annotations

import re

from django.urls import register_converter

# Number.MAX_SAFE_INTEGER: the largest id every JSON client reads exactly.
ID_LIMIT = 2**53 - 1
# Plain decimal digits without a sign or leading zeros: 1 to 9007199254740991 at most
# has 16 digits; the value is checked against ID_LIMIT as well.
ID_PATTERN = re.compile(r"[1-9][0-9]{0,15}")


class IdConverter:
    """Matches 1 to 2^53 - 1. Anything else (0, -1, +1, 1.5, 2^53) matches no route, so it
    is a 404 before any query runs: no database ever sees an id it cannot store."""

    regex = ID_PATTERN.pattern

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_LIMIT:
            raise ValueError("id out of range")  # Django treats this as "no match"
        return number

    def to_url(self, value: int) -> str:
        return str(value)


# Registered once, when config/urls.py first imports this module.
register_converter(IdConverter, "id")
