"""Users (email + password) and the budgets behind login and registration limits."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

# An RFC 5321 dot-atom local part of at most 64 characters, then letter-digit-hyphen
# domain labels: the pattern of the Email schema in openapi.json. ASCII only, so
# lower-casing never changes the length (Unicode lower-casing can: "İ" becomes 2 code
# points, and 130 of them would outgrow the 254-character column).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = re.compile(rf"(?=[^@]{{1,64}}@){_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")
EMAIL_MAX_LENGTH = 254


def normalize_email(email: str) -> str:
    """Emails are compared, stored and returned in lower case. Never trimmed."""
    return email.lower()


def is_valid_email(email: str) -> bool:
    """Whether an email (already normalised) may be stored: checked after lower-casing."""
    return len(email) <= EMAIL_MAX_LENGTH and EMAIL_PATTERN.fullmatch(email) is not None


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalize_email(username or ""))

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        email = normalize_email(email)
        if not is_valid_email(email):
            raise ValueError("A valid ASCII email address is required.")
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A user identified by email. ``id`` is an integer from the database sequence."""

    email = models.EmailField("email address", max_length=254, unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can log into the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        # Plain table names, the same in every service generated alongside this one.
        db_table = "users"
        ordering = ("id",)

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)


class RateLimit(models.Model):
    """The attempts a client has used of one rate limit (see accounts/throttling.py).

    ``key`` is a SHA-256 of the limit's name and the client address (and email): the
    table holds neither. A row is a fixed window of the limit's length that started with
    its first attempt; expired rows are deleted when new ones are created.
    """

    key = models.CharField(max_length=64, primary_key=True)
    used = models.PositiveIntegerField()
    resets_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "rate_limits"

    def __str__(self) -> str:
        return f"{self.key[:12]}…: {self.used} until {self.resets_at:%Y-%m-%d %H:%M:%S}"
