"""Request parsing: JSON bodies through pydantic models, integer query parameters, path ids."""

from __future__ import annotations

import re
from typing import Any, TypeVar

import pydantic
from flask import Request, request
from werkzeug.exceptions import BadRequest, NotFound, UnsupportedMediaType
from werkzeug.routing import BaseConverter

from .errors import FieldError, ValidationFailed
from .models import MAX_ID

Model = TypeVar("Model", bound=pydantic.BaseModel)

# Up to 18 digits: fits a signed 64-bit integer, so int() stays cheap before bounds apply.
_DIGITS = re.compile(r"[0-9]{1,18}")
# The deepest page a list serves: an OFFSET every database accepts.
MAX_OFFSET = 2**31 - 1


class JSONRequest(Request):
    """Flask's request with short, client-facing messages for unreadable JSON."""

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if e is None:
            raise UnsupportedMediaType("Send the request body as application/json.")
        raise BadRequest("The request body is not valid JSON.")


def parse_json(model: type[Model]) -> Model:
    """Validate the JSON body against `model`.

    Wrong content type or a charset other than UTF-8 → 415, malformed JSON → 400
    and a body over MAX_CONTENT_LENGTH → 413 (raised by Flask/Werkzeug); anything
    that is not a JSON object, or does not fit `model`, → 422 with one entry per field.
    """
    charset = request.mimetype_params.get("charset", "utf-8")
    if request.is_json and charset.lower() != "utf-8":
        raise UnsupportedMediaType("Send the request body as UTF-8.")
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


class IdConverter(BaseConverter):
    """`<id:name>` in a route: a positive decimal id, written without sign or leading zero.

    Anything else does not match the route: a 404 before any query runs.
    """

    regex = r"[1-9][0-9]{0,15}"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            # No row has such an id (32-bit keys on PostgreSQL, which would refuse it in
            # a query). NotFound, not ValidationError: that would let routing go on and
            # answer 405 for a method another route of this path has.
            raise NotFound
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))
