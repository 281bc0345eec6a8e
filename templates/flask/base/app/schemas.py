"""Request bodies. Strict: unknown fields and wrong JSON types are rejected, never coerced."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from .models import EMAIL_MAX_LENGTH, TITLE_MAX_LENGTH

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


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


def _email(value: str) -> str:
    value = value.strip().lower()
    if len(value) > EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(value):
        raise PydanticCustomError("email", "Value must be an email address like name@example.com")
    return value


# Lengths are counted by `len()`, i.e. in Unicode code points.
Text = Annotated[str, AfterValidator(_storable)]
Email = Annotated[Text, AfterValidator(_email)]
Password = Annotated[Text, Field(min_length=12, max_length=128)]
Title = Annotated[Text, Field(min_length=1, max_length=TITLE_MAX_LENGTH)]
Body = Annotated[Text, Field(max_length=10_000)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RegisterRequest(StrictModel):
    email: Email
    password: Password


class LoginRequest(StrictModel):
    # Only shapes are checked: a login must not reveal which rules an account follows.
    email: Annotated[Text, Field(min_length=1, max_length=EMAIL_MAX_LENGTH)]
    password: Annotated[Text, Field(min_length=1, max_length=128)]


class NoteCreate(StrictModel):
    title: Title
    body: Body | None = None


class NoteUpdate(StrictModel):
    """A partial update: only the fields present in the body change."""

    title: Title | None = None
    body: Body | None = None

    @field_validator("title")
    @classmethod
    def _title_not_null(cls, value: str | None) -> str | None:
        # Validators only run on fields that were sent, so this rejects an explicit null.
        if value is None:
            raise PydanticCustomError("title_null", "Title cannot be null")
        return value
