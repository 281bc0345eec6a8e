"""Serializer fields for the resources' field types, each accepting its own JSON type only.

DRF's fields coerce: ``"5"`` becomes 5, ``1`` becomes True, ``"2024-1-5"`` a date. The
API takes JSON values as they are sent, so a wrong type is a 422, never a conversion.
One class per type of ``--fields``: string, text, integer, number, boolean, date, datetime.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, ClassVar

from rest_framework import serializers

from core.serializers import StrictCharField, utc

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Number.MAX_SAFE_INTEGER: the largest integers every JSON client reads exactly. The
# columns are 64-bit, so the database never narrows what the API accepted.
INTEGER_LIMIT = 2**53 - 1

DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
# RFC 3339: the offset (Z or ±hh:mm) is required, a fraction of a second is optional.
DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:[Zz]|([+-])([01]\d|2[0-3]):([0-5]\d))",
    re.ASCII,
)


class StringField(StrictCharField):
    """A short string of 1 to ``max_length`` code points, stored exactly as sent."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)


class TextField(StringField):
    """Free text: like StringField, but the empty string is a valid value."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)


class IntegerField(serializers.IntegerField):
    """JSON integers only (not ``1.5``, ``"5"`` or ``true``), within ±(2^53 - 1)."""

    default_error_messages: ClassVar[dict[str, StrOrPromise]] = {"invalid": "Must be an integer."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", -INTEGER_LIMIT)
        kwargs.setdefault("max_value", INTEGER_LIMIT)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        # bool is a subclass of int in Python.
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return data


class NumberField(serializers.FloatField):
    """Finite JSON numbers (integers included), stored as double precision.

    Python's json module reads ``1e999`` as infinity, and a huge integer does not fit in
    a float: both are refused rather than stored as something else.
    """

    default_error_messages: ClassVar[dict[str, StrOrPromise]] = {
        "invalid": "Must be a finite number."
    }

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        try:
            value = float(data)
        except OverflowError:
            self.fail("invalid")
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class BooleanField(serializers.BooleanField):
    """``true`` and ``false`` only: not 0 or 1, nor the strings DRF would accept."""

    default_error_messages: ClassVar[dict[str, StrOrPromise]] = {
        "invalid": "Must be true or false."
    }

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class DateField(serializers.DateField):
    """A calendar date written ``YYYY-MM-DD``, answered the same way."""

    default_error_messages: ClassVar[dict[str, StrOrPromise]] = {
        "invalid": "Must be a date written YYYY-MM-DD."
    }

    def to_internal_value(self, data: Any) -> date:
        match = DATE.fullmatch(data) if isinstance(data, str) else None
        if match is None:
            self.fail("invalid")
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:  # not a day of the calendar, e.g. 2023-02-29
            self.fail("invalid")


class DateTimeField(serializers.DateTimeField):
    """An RFC 3339 timestamp with an offset, answered in UTC with milliseconds.

    Without an offset a timestamp is ambiguous, so it is refused. Precision is the
    millisecond (what JavaScript clients keep): finer digits are dropped on input, so
    what is stored is exactly what is answered, e.g. ``2026-01-02T03:04:05.500Z``.
    """

    default_error_messages: ClassVar[dict[str, StrOrPromise]] = {
        "invalid": "Must be a date and time with an offset, e.g. 2026-01-02T03:04:05Z."
    }

    def to_internal_value(self, data: Any) -> datetime:
        match = DATETIME.fullmatch(data) if isinstance(data, str) else None
        if match is None:
            self.fail("invalid")
        *parts, fraction, sign, offset_hours, offset_minutes = match.groups()
        milliseconds = int((fraction or "")[:3].ljust(3, "0"))
        offset = timedelta(hours=int(offset_hours or 0), minutes=int(offset_minutes or 0))
        try:
            zone = timezone(-offset if sign == "-" else offset)
            year, month, day, hour, minute, second = (int(part) for part in parts)
            value = datetime(year, month, day, hour, minute, second, milliseconds * 1000, zone)
            return value.astimezone(UTC)
        except (ValueError, OverflowError):  # not a real time, or outside years 1-9999 in UTC
            self.fail("invalid")

    def to_representation(self, value: datetime) -> str:
        return write_datetime(value)


def write_date(value: date) -> str:
    """A DateField's value as the API answers it: ``2026-01-02``."""
    return value.isoformat()


def write_datetime(value: datetime) -> str:
    """A DateTimeField's value as the API answers it: ``2026-01-02T03:04:05.500Z``."""
    return utc(value).isoformat(timespec="milliseconds") + "Z"
