"""Request bodies of the authentication endpoints."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core import exceptions as django_exceptions
from rest_framework import serializers

from accounts.models import EMAIL_MAX_LENGTH, User, is_valid_email, normalize_email
from core.serializers import RejectUnknownFieldsMixin, StrictCharField


class RegisterSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    # Not trimmed: " ada@example.com" is refused, not silently changed.
    email = StrictCharField(max_length=EMAIL_MAX_LENGTH, trim_whitespace=False)
    password = StrictCharField(min_length=12, max_length=128, trim_whitespace=False)

    def validate_email(self, value: str) -> str:
        # Checked after normalising, so the rules hold for what is stored.
        email = normalize_email(value)
        if not is_valid_email(email):
            raise serializers.ValidationError("Enter a valid email address.")
        return email

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Project-wide rules from AUTH_PASSWORD_VALIDATORS (shared with createsuperuser),
        # given the would-be user so that a password equal to the email is refused.
        try:
            password_validation.validate_password(attrs["password"], User(email=attrs["email"]))
        except django_exceptions.ValidationError as exc:
            raise serializers.ValidationError({"password": exc.messages}) from None
        return attrs


class LoginSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    # Only the shape is checked here: an email that matches no account is a 401, not a 422.
    email = StrictCharField(max_length=EMAIL_MAX_LENGTH, trim_whitespace=False)
    password = StrictCharField(max_length=128, trim_whitespace=False)

    def validate_email(self, value: str) -> str:
        return normalize_email(value)
