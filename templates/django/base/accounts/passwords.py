"""Password validators (AUTH_PASSWORD_VALIDATORS) besides Django's minimum length.

Django builds the validators once per process; accounts.apps builds them at start-up, so
a missing password list stops the boot instead of failing the first registration.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError


class CommonPasswordValidator:
    """Refuses the passwords listed in ``security/common-passwords.txt``, ignoring case.

    One password a line; blank lines and lines starting with ``#`` are skipped.
    """

    def __init__(self, password_list_path: str | Path | None = None) -> None:
        path = Path(password_list_path or settings.BASE_DIR / "security" / "common-passwords.txt")
        lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
        self.passwords = frozenset(
            line.lower() for line in lines if line and not line.startswith("#")
        )

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        if password.lower() in self.passwords:
            raise ValidationError("This password is too common.", code="password_too_common")

    def get_help_text(self) -> str:
        return "Your password can't be a commonly used password."


class NotTheEmailValidator:
    """Refuses a password equal to the account's email, ignoring case."""

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        email = getattr(user, "email", None)
        if email and password.lower() == email.lower():
            message = "The password may not be the email address."
            raise ValidationError(message, code="password_is_email")

    def get_help_text(self) -> str:
        return "Your password can't be your email address."
