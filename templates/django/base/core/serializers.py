"""Strict building blocks for request validation (every failure becomes a 422)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rest_framework import serializers

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class StrictCharField(serializers.CharField):
    """A CharField that accepts JSON strings only.

    DRF's CharField turns numbers into strings; here ``{"title": 1}`` is a type error.
    DRF already refuses NUL characters and lone surrogates (which PostgreSQL cannot
    store). Lengths are counted in code points.
    """

    default_error_messages: ClassVar[dict[str, StrOrPromise]] = {
        "not_a_string": "Must be a string."
    }

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


def utc(value: datetime) -> datetime:
    """``value`` in UTC, without its zone. Read in plain SQL, SQLite's datetimes come back
    without one (Django stores them in UTC) and PostgreSQL's with one."""
    return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)


def timestamp(value: datetime) -> str:
    """A time stamp in UTC as DRF writes any DateTimeField: ``2026-01-31T12:00:00.123456Z``."""
    return utc(value).isoformat() + "Z"


class TimestampField(serializers.DateTimeField):
    """A read-only time stamp (``created_at``, ``updated_at``), written by ``timestamp``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: datetime) -> str:
        return timestamp(value)


class RejectUnknownFieldsMixin(serializers.Serializer):
    """Reject body fields the serializer does not accept as input.

    DRF silently ignores them, which hides client mistakes (``{"titel": ...}``) and
    attempts to set read-only fields (``{"id": ...}``).
    """

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[str]] = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = {str(key): ["Unknown field."] for key in data if key not in writable}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from exc
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value
