"""The user model and the column types every model shares (SQLAlchemy 2.0 typed mapping).

Each resource's model lives in `app/resources/<name>/models.py`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, String, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column

from .database import Base

# Primary keys are 32-bit in PostgreSQL; larger ids cannot exist, so they are never queried.
MAX_ID = 2**31 - 1
EMAIL_MAX_LENGTH = 254


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            # Same as `value.replace(tzinfo=UTC)`, several times faster: a list reads two
            # of these per row, and `replace` parses its keyword arguments on every call.
            return datetime.combine(value, value.time(), UTC)
        return value.astimezone(UTC)


class User(Base):
    __tablename__ = "users"
    # Ids are never reused (SQLite would reuse the highest after a delete): a token
    # naming a deleted user must not open the account that signs up next.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so a plain unique constraint makes emails case-insensitive.
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


def iso_utc(value: datetime) -> str:
    """ISO 8601 in UTC with millisecond precision, e.g. `2025-01-31T12:00:00.000Z`."""
    # Lists format two of these per row: values read back are UTC already (UTCDateTime),
    # so they skip the conversion.
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # Formatted as the naive time, which `isoformat` writes in half the time it takes to
    # work out and write an offset that would then be replaced with Z.
    return datetime.combine(value, value.time()).isoformat("T", "milliseconds") + "Z"
