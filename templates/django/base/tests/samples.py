"""Values each field type accepts or refuses: the data behind every resource's tests.

A resource's test module describes its fields the way ``--fields`` does, e.g.
``Field("due", "date", optional=True)``, and parametrizes its tests over these values,
so every field is checked against the rules of its type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Number.MAX_SAFE_INTEGER: the API's integer range is ±INTEGER_LIMIT.
INTEGER_LIMIT = 2**53 - 1


def case_id(value: Any) -> str:
    """A short, readable test id for a sample value (some are thousands of characters)."""
    text = repr(value)
    return text if len(text) <= 24 else f"{text[:20]}...{len(text)}"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    max_length: int | None = None
    optional: bool = False

    def accepted(self) -> list[tuple[Any, Any]]:
        """Valid values paired with what the API answers for them; the first is the example."""
        values = self._valid()
        if self.optional:
            values.append((None, None))
        return values

    def refused(self) -> list[Any]:
        """Values the API refuses with a 422 naming this field."""
        values = self._invalid()
        if not self.optional:
            values.append(None)
        return values

    def refused_json(self) -> list[str]:
        """Refused values that only raw JSON can express."""
        if self.type in ("string", "text"):
            # A lone surrogate escape is valid JSON but not text: no database can store it.
            return ['"\\ud800"']
        if self.type == "number":
            # Python reads these as infinity.
            return ["1e999", "-1e999"]
        return []

    @property
    def example(self) -> Any:
        return self.accepted()[0][0]

    @property
    def answer(self) -> Any:
        """What the API answers for ``example``."""
        return self.accepted()[0][1]

    @property
    def other_example(self) -> tuple[Any, Any]:
        """A second valid value and its answer, different from the example."""
        return self.accepted()[1]

    def _valid(self) -> list[tuple[Any, Any]]:
        n = self.max_length or 0
        values: list[Any]
        if self.type == "string":
            values = ["Groceries"[:n], "Errands"[:n], "x", "😀" * n, "é" * n]
            if n >= 3:
                values.append(" x ")  # stored as sent, spaces included
            return [(value, value) for value in values]
        if self.type == "text":
            values = ["Milk"[:n], "", "😀" * n, "é" * n]
            if n >= 3:
                values.append(" x\n")
            return [(value, value) for value in values]
        if self.type == "integer":
            values = [42, -7, 0, INTEGER_LIMIT, -INTEGER_LIMIT]
            return [(value, value) for value in values]
        if self.type == "number":
            values = [2.5, -0.125, 0, 7, 1.5e300, -5e-324]
            return [(value, value) for value in values]
        if self.type == "boolean":
            return [(True, True), (False, False)]
        if self.type == "date":
            values = ["2024-02-29", "2026-01-02", "0001-01-01", "9999-12-31"]
            return [(value, value) for value in values]
        if self.type == "datetime":
            return [
                ("2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000Z"),
                ("2026-01-02T03:04:05.5+02:00", "2026-01-02T01:04:05.500Z"),
                # Finer than a millisecond is truncated, not rounded.
                ("2026-01-02T23:59:59.999999-01:30", "2026-01-03T01:29:59.999Z"),
                ("2024-02-29t12:00:00.123z", "2024-02-29T12:00:00.123Z"),
            ]
        raise ValueError(f"unknown field type {self.type!r}")

    def _invalid(self) -> list[Any]:
        n = self.max_length or 0
        if self.type == "string":
            return ["", "x" * (n + 1), "\x00", 5, True, ["a"], {"a": "b"}]
        if self.type == "text":
            return ["x" * (n + 1), "\x00", 12, False, ["a"]]
        if self.type == "integer":
            return [1.5, "5", True, INTEGER_LIMIT + 1, -INTEGER_LIMIT - 1, 1e20, [1]]
        if self.type == "number":
            return ["1.5", True, [1.5], {"value": 1}, 10**400]
        if self.type == "boolean":
            return [1, 0, "true", "false", [True]]
        if self.type == "date":
            return [
                "2023-02-29",
                "2024-13-01",
                "2024-1-5",
                "20240229",
                "2024-02-29T00:00:00Z",
                "",
                20240229,
            ]
        if self.type == "datetime":
            return [
                "2026-01-02T03:04:05",  # no offset
                "2026-01-02",
                "2026-02-30T00:00:00Z",
                "2026-01-02T24:00:00Z",
                "2026-01-02T03:04:05+24:00",
                "2026-01-02 03:04:05Z",
                "",
                1767323045,
            ]
        raise ValueError(f"unknown field type {self.type!r}")
