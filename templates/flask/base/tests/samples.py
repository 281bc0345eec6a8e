"""Sample values per field type, valid and invalid, for the tests of every resource.

A resource's test module describes its fields with `FieldSpec`; the tests then send
each sample and expect it echoed back (valid) or a 422 naming the field (invalid).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
MAX_SAFE_INTEGER = 2**53 - 1


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # string, text, integer, number, boolean, date or datetime
    required: bool
    max_length: int | None = None  # string and text, in code points


@dataclass(frozen=True)
class Raw:
    """JSON text sent as written, for numbers Python cannot write (`1e999`)."""

    text: str


@dataclass(frozen=True)
class Sample:
    value: Any  # what is sent
    answer: Any  # what the API must answer with


def valid_samples(field: FieldSpec) -> list[Sample]:
    """Values the field accepts, each with the value the API answers with."""
    if field.type in ("string", "text"):
        assert field.max_length is not None
        words = "naïve café, שלום\nsecond line"[: field.max_length]
        shortest = "x" if field.type == "string" else ""
        # Lengths count code points: the emoji take four times as many UTF-8 bytes.
        samples = [Sample(value, value) for value in (words, shortest, "🦊" * field.max_length)]
    elif field.type == "datetime":
        samples = [
            Sample("2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000Z"),
            Sample("2026-01-02T03:04:05.5+02:00", "2026-01-02T01:04:05.500Z"),
            # Finer than a millisecond is truncated, not rounded.
            Sample("2026-01-02t23:59:59.999999-05:30", "2026-01-03T05:29:59.999Z"),
        ]
    else:
        samples = [Sample(value, value) for value in _VALID[field.type]]
    if not field.required:
        samples.append(Sample(None, None))
    return samples


def invalid_samples(field: FieldSpec) -> list[Any]:
    """Values the field refuses with a 422 naming it."""
    values: list[Any] = [*_INVALID[field.type], ["a list"], {"an": "object"}]
    if field.type in ("string", "text"):
        assert field.max_length is not None
        values += ["x" * (field.max_length + 1), "🦊" * (field.max_length + 1)]
    if field.required:
        values.append(None)
    return values


def example(field: FieldSpec) -> Any:
    """A valid value, for building bodies."""
    return valid_samples(field)[0].value


def encode(body: dict[str, Any]) -> str:
    """`body` as JSON text; `Raw` values are written as they are."""
    raw: list[str] = []

    def placeholder(value: object) -> str:
        if not isinstance(value, Raw):
            raise TypeError(f"cannot encode {value!r}")
        raw.append(value.text)
        return f"@raw{len(raw) - 1}@"

    text = json.dumps(body, default=placeholder)
    for index, fragment in enumerate(raw):
        text = text.replace(f'"@raw{index}@"', fragment)
    return text


# Answered exactly as sent (strings and datetimes are built above from the field's rules).
_VALID: dict[str, list[Any]] = {
    "integer": [42, 0, -MAX_SAFE_INTEGER, MAX_SAFE_INTEGER],
    "number": [1.5, 0, -2.25, 1e300, 7],
    "boolean": [True, False],
    "date": ["2024-02-29", "1999-12-31", "0001-01-01"],
}

_INVALID: dict[str, list[Any]] = {
    # Empty strings are text, not strings; NUL and lone surrogates cannot be stored.
    "string": ["", 5, True, "nul\x00byte", "lone \ud800 surrogate"],
    "text": [5, False, "nul\x00byte", "lone \udfff surrogate"],
    # No coercion: a string of digits, a boolean or a fraction is not an integer.
    "integer": [
        "5",
        True,
        1.5,
        MAX_SAFE_INTEGER + 1,
        -MAX_SAFE_INTEGER - 1,
        Raw("1e999"),
        "",
    ],
    # 1e999 overflows to infinity, which no column stores and JSON cannot answer.
    "number": ["5", True, False, Raw("1e999"), Raw("-1e999"), Raw("NaN"), ""],
    "boolean": [1, 0, "true", "false", ""],
    "date": [
        "2023-02-29",
        "2024-13-01",
        "2024-1-5",
        "20240105",
        "2024-01-05T00:00:00Z",
        20240105,
        "",
    ],
    # An offset is required: a time without one names no instant.
    "datetime": [
        "2026-01-02T03:04:05",
        "2026-01-02",
        "2026-01-02 03:04:05Z",
        "2026-02-30T03:04:05Z",
        "2026-01-02T24:00:00Z",
        "2026-01-02T03:04:05+24:00",
        1767323045,
        "",
    ],
}
