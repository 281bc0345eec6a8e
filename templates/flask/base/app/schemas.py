"""Request bodies of the auth endpoints. Strict: unknown fields and wrong JSON types are
rejected, never coerced. Each resource keeps its own in `app/resources/<name>/schemas.py`.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from .fields import StrictModel, Text
from .models import EMAIL_MAX_LENGTH

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _email(value: str) -> str:
    value = value.strip().lower()
    if len(value) > EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(value):
        raise PydanticCustomError("email", "Value must be an email address like name@example.com")
    return value


Email = Annotated[Text, AfterValidator(_email)]
Password = Annotated[Text, Field(min_length=12, max_length=128)]


class RegisterRequest(StrictModel):
    email: Email
    password: Password


class LoginRequest(StrictModel):
    # Only shapes are checked: a login must not reveal which rules an account follows.
    email: Annotated[Text, Field(min_length=1, max_length=EMAIL_MAX_LENGTH)]
    password: Annotated[Text, Field(min_length=1, max_length=128)]
