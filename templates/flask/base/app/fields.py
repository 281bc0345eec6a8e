"""Building blocks of request bodies: the strict base model and the value types of fields.

Every type is strict: a JSON value of the wrong type is rejected, never coerced
("5" is not 5, 1 is not true). Each resource's `schemas.py` composes these.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationInfo
from pydantic_core import PydanticCustomError

T = TypeVar("T")

# 2^53 - 1: the largest integer every JSON client (JavaScript included) represents exactly.
# Integer columns are 64-bit, so the database never narrows what the API accepted.
MAX_SAFE_INTEGER = 2**53 - 1

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 3339 date-time: the offset is required, as a local time means nothing to a server.
_DATETIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"[Tt](?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<fraction>\d+))?"
    r"(?:[Zz]|(?P<sign>[+-])(?P<oh>\d{2}):(?P<om>\d{2}))"
)


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _storable(value: str) -> str:
    # Lone surrogates cannot be encoded and PostgreSQL refuses NUL in text:
    # reject both here instead of failing later with a 500.
    if "\x00" in value:
        raise PydanticCustomError("string_nul", "String must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("string_unicode", "String must be valid Unicode") from None
    return value


def _not_null(value: T | None, info: ValidationInfo) -> T:
    # Validators only run on fields that were sent, so this rejects an explicit null only.
    if value is None:
        label = (info.field_name or "value").replace("_", " ").capitalize()
        raise PydanticCustomError("not_null", f"{label} cannot be null")
    return value


def _calendar_date(value: Any) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PydanticCustomError("date", "Value must be a date like 2024-02-29")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date", "Value must be a real calendar date") from None


def _timestamp(value: Any) -> datetime:
    match = _DATETIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise PydanticCustomError(
            "datetime",
            "Value must be an RFC 3339 date-time with an offset, like 2026-01-02T03:04:05Z",
        )
    parts = match.groupdict()
    # Millisecond precision, as answered: finer digits are truncated, not rounded.
    milliseconds = int((parts["fraction"] or "0")[:3].ljust(3, "0"))
    offset = timedelta(hours=int(parts["oh"] or 0), minutes=int(parts["om"] or 0))
    try:
        year, month, day, hour, minute, second = (
            int(parts[name]) for name in ("year", "month", "day", "hour", "minute", "second")
        )
        moment = datetime(
            year,
            month,
            day,
            hour,
            minute,
            second,
            microsecond=milliseconds * 1000,
            tzinfo=timezone(-offset if parts["sign"] == "-" else offset),
        )
    except ValueError:  # no such day or time, or an offset of a day or more
        raise PydanticCustomError("datetime", "Value must be a real date and time") from None
    return moment.astimezone(UTC)


# Lengths are counted by `len()`, i.e. in Unicode code points.
Text = Annotated[str, AfterValidator(_storable)]
# For fields that are required on create: a partial update may omit them, not null them.
NotNull = Annotated[T | None, AfterValidator(_not_null)]
# JSON has no date type: `YYYY-MM-DD` strings that name a real day.
CalendarDate = Annotated[date, BeforeValidator(_calendar_date)]
# Any offset is accepted; the value is kept in UTC, to the millisecond.
Timestamp = Annotated[datetime, BeforeValidator(_timestamp)]
