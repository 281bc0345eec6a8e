"""Request parsing: JSON bodies through pydantic models, integer query parameters."""

from __future__ import annotations

import re
from typing import Any, TypeVar

import pydantic
from flask import Request, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from .errors import FieldError, ValidationFailed

Model = TypeVar("Model", bound=pydantic.BaseModel)

# Up to 18 digits: fits a signed 64-bit integer, which is all either database accepts.
_DIGITS = re.compile(r"[0-9]{1,18}")


class JSONRequest(Request):
    """Flask's request with short, client-facing messages for unreadable JSON."""

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if e is None:
            raise UnsupportedMediaType("Send the request body as application/json.")
        raise BadRequest("The request body is not valid JSON.")


def parse_json(model: type[Model]) -> Model:
    """Validate the JSON body against `model`.

    Wrong content type → 415, malformed JSON → 400 and a body over
    MAX_CONTENT_LENGTH → 413 (raised by Flask/Werkzeug); anything that is not
    a JSON object, or does not fit `model`, → 422 with one entry per field.
    """
    try:
        data = request.get_json()
    except RecursionError:
        raise BadRequest("The request body is nested too deeply.") from None
    if not isinstance(data, dict):
        raise ValidationFailed([FieldError("body", "must be a JSON object")])
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationFailed(_field_errors(exc)) from None


def _field_errors(exc: pydantic.ValidationError) -> list[FieldError]:
    return [
        FieldError(".".join(str(part) for part in error["loc"]) or "body", error["msg"])
        for error in exc.errors(include_url=False)
    ]


def query_int(
    name: str, default: int, errors: list[FieldError], *, minimum: int, maximum: int | None = None
) -> int:
    """Read a non-negative decimal integer query parameter; record an error if it is not one."""
    raw = request.args.get(name)
    if raw is None:
        return default
    value = int(raw) if _DIGITS.fullmatch(raw) else None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        errors.append(FieldError(name, f"must be an integer {bounds}"))
        return default
    return value
