"""``Authorization: Bearer <JWT>`` authentication for DRF."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from accounts import events
from accounts.models import User
from accounts.tokens import InvalidToken, user_id_from_token


class JWTAuthentication(BaseAuthentication):
    keyword = "bearer"

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        header = request.headers.get("Authorization")
        if not header:
            return None  # DRF answers 401 "credentials were not provided"
        scheme, _, token = header.partition(" ")
        if scheme.lower() != self.keyword:
            return None
        token = token.strip()
        # Two Authorization headers reach Django joined by a comma; a JWT has none.
        if not token or " " in token or "," in token:
            events.record("token.rejected", request)
            raise AuthenticationFailed("Malformed bearer token.")
        try:
            user_id = user_id_from_token(token)
        except InvalidToken:
            events.record("token.rejected", request)
            raise AuthenticationFailed("Invalid or expired token.") from None
        # A user deleted or deactivated since the token was issued is refused.
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            events.record("token.rejected", request, user_id)
            raise AuthenticationFailed("Invalid or expired token.")
        return user, None

    def authenticate_header(self, request: Request) -> str:
        # Sent as WWW-Authenticate on every 401.
        return "Bearer"


class AuthenticatedRequest(Request):
    """A request that passed IsAuthenticated: its ``user`` is a User, never anonymous.

    For type checkers only: views behind IsAuthenticated annotate their request with it.
    """

    user: User
