"""Request bodies of the auth endpoints. Strict: unknown fields and wrong JSON types are
rejected, never coerced. Each resource keeps its own in `app/resources/<name>/schemas.py`.
"""

from __future__ import annotations

import re
import string
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from .fields import StrictModel, Text
from .models import EMAIL_MAX_LENGTH

# ASCII only: a dot-atom local part of at most 64 characters, then letter-digit-hyphen
# domain labels of at most 63 characters, at least two of them.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"(?=[^@]{{1,64}}@){_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")
EMAIL_MIN_LENGTH = 3
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def ascii_lower(value: str) -> str:
    """Lower-case A-Z only: `str.lower()` would turn e.g. the Kelvin sign into a `k`."""
    return value.translate(_ASCII_LOWER)


def _email(value: str) -> str:
    # Not trimmed: an address with surrounding spaces is a mistake the client should see.
    value = ascii_lower(value)
    if not (EMAIL_MIN_LENGTH <= len(value) <= EMAIL_MAX_LENGTH and _EMAIL.fullmatch(value)):
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
