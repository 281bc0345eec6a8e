"""Registration, login and the current user."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.serializers import LoginSerializer, RegisterSerializer
from accounts.throttling import LoginThrottle
from accounts.tokens import issue_access_token


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


class PublicEndpoint(APIView):
    # No authentication at all: a stale token in the request must not block login.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    http_method_names = ("post",)


class RegisterView(PublicEndpoint):
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email, password = serializer.validated_data["email"], serializer.validated_data["password"]
        if User.objects.filter(email=email).exists():
            raise EmailTaken()
        try:
            with transaction.atomic():
                user = User.objects.create_user(email, password)
        except IntegrityError:  # registered concurrently
            raise EmailTaken() from None
        return Response(user_payload(user), status=status.HTTP_201_CREATED)


class LoginView(PublicEndpoint):
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email, password = serializer.validated_data["email"], serializer.validated_data["password"]

        throttle = LoginThrottle(request, email)
        throttle.check()
        # Django's ModelBackend hashes the password even for an unknown email, so both
        # failures take the same time and get the same answer.
        user = authenticate(request, username=email, password=password)
        if user is None:
            throttle.record_failure()
            raise InvalidCredentials()

        token = issue_access_token(user.pk)
        return Response(
            {"access_token": token.token, "token_type": "Bearer", "expires_in": token.expires_in}
        )


class MeView(APIView):
    http_method_names = ("get", "head")

    def get(self, request: Request) -> Response:
        return Response(user_payload(request.user))
