"""Registration, login and the current user."""

from __future__ import annotations

import secrets
from functools import cache

from django.contrib.auth.hashers import BasePasswordHasher, check_password, get_hasher
from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.exceptions import APIException, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import events
from accounts.authentication import AuthenticatedRequest
from accounts.models import User
from accounts.serializers import LoginSerializer, RegisterSerializer
from accounts.throttling import LoginThrottle, take_registration_attempt
from accounts.tokens import issue_access_token
from core.views import MethodCheckedFirstMixin


class EmailTaken(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "An account with this email already exists."
    default_code = "email_taken"


class InvalidCredentials(APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = "Invalid email or password."
    default_code = "invalid_credentials"
    auth_header = "Bearer"


def user_payload(user: User) -> dict[str, object]:
    return {"id": user.pk, "email": user.email}


def dummy_password_hash() -> str:
    """A hash of a random password, made with the current hasher and its parameters."""
    return _random_password_hash(get_hasher())


@cache
def _random_password_hash(hasher: BasePasswordHasher) -> str:
    return hasher.encode(secrets.token_urlsafe(32), hasher.salt())


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None.

    An unknown email is checked against a dummy hash: every failure costs one password
    verification, so the response time does not tell which emails have accounts.
    """
    user = User.objects.filter(email=email).first()
    if user is None:
        check_password(password, dummy_password_hash())
        return None
    # check_password also rehashes the password when the hasher's parameters changed.
    if user.check_password(password) and user.is_active:
        return user
    return None


class PublicEndpoint(MethodCheckedFirstMixin, APIView):
    # No authentication at all: a stale token in the request must not block login.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    http_method_names = ("post",)


class RegisterView(PublicEndpoint):
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email, password = serializer.validated_data["email"], serializer.validated_data["password"]
        # Counted before anything is looked up or hashed: hashing is the expensive part.
        try:
            take_registration_attempt(request)
        except Throttled:
            events.record("register.throttled", request)
            raise
        if User.objects.filter(email=email).exists():
            raise EmailTaken()
        try:
            with transaction.atomic():
                user = User.objects.create_user(email, password)
        except IntegrityError:  # registered concurrently
            raise EmailTaken() from None
        events.record("register.succeeded", request, user.pk)
        return Response(user_payload(user), status=status.HTTP_201_CREATED)


class LoginView(PublicEndpoint):
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email, password = serializer.validated_data["email"], serializer.validated_data["password"]

        # The attempt is taken out of the budget before the password is verified (429
        # once it is spent), whether or not the email has an account.
        throttle = LoginThrottle(request, email)
        try:
            throttle.reserve()
        except Throttled:
            events.record("login.throttled", request)
            raise
        user = authenticate(email, password)
        if user is None:
            events.record("login.failed", request)
            raise InvalidCredentials()
        throttle.succeeded()
        events.record("login.succeeded", request, user.pk)

        token = issue_access_token(user.pk)
        return Response(
            {"access_token": token.token, "token_type": "Bearer", "expires_in": token.expires_in}
        )


class MeView(MethodCheckedFirstMixin, APIView):
    http_method_names = ("get", "head")

    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(user_payload(request.user))
