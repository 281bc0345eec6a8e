"""Request bodies of the authentication endpoints."""

from __future__ import annotations

import re

from django.contrib.auth import password_validation
from django.core import exceptions as django_exceptions
from rest_framework import serializers

from accounts.models import normalize_email
from core.serializers import RejectUnknownFieldsMixin, StrictCharField

# local@domain.tld without whitespace or control characters: the pattern of the Email
# schema in openapi.json, so the server accepts exactly what the API document describes.
EMAIL_PATTERN = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")


class RegisterSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    email = StrictCharField(max_length=254)
    password = StrictCharField(min_length=12, max_length=128, trim_whitespace=False)

    def validate_email(self, value: str) -> str:
        email = normalize_email(value)
        if not EMAIL_PATTERN.fullmatch(email):
            raise serializers.ValidationError("Enter a valid email address.")
        return email

    def validate_password(self, value: str) -> str:
        # Project-wide rules from AUTH_PASSWORD_VALIDATORS (shared with createsuperuser).
        try:
            password_validation.validate_password(value)
        except django_exceptions.ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return value


class LoginSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    # Only the shape is checked here: a wrong email or password is a 401, not a 422.
    email = StrictCharField(max_length=254)
    password = StrictCharField(max_length=128, trim_whitespace=False)

    def validate_email(self, value: str) -> str:
        return normalize_email(value)
